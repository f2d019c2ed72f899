/**
 * Queries of the Logs Insights documentation (the query syntax pages and the sample queries), on
 * small sets of events whose answers can be worked out by hand.
 */
import { queryLines } from './test-helpers';

const at = (minute: number, second = 0) =>
  `2025-12-13T12:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

describe('examples of the documentation', () => {
  const flows = [
    { t: at(0), srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', packets: 10, bytes: 1000, action: 'ACCEPT' },
    { t: at(10), srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', packets: 5, bytes: 600, action: 'REJECT' },
    { t: at(20), srcAddr: '10.0.0.3', dstAddr: '10.0.0.2', packets: 40, bytes: 5000, action: 'ACCEPT' },
    { t: at(59), srcAddr: '10.0.0.1', dstAddr: '10.0.0.4', packets: 1, bytes: 200, action: 'REJECT' },
  ];

  it('stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15', async () => {
    const result = await queryLines(
      'stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15',
      flows,
    );
    expect(result.rows).toEqual([
      { srcAddr: '10.0.0.3', dstAddr: '10.0.0.2', packetsTransferred: '40' },
      { srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', packetsTransferred: '15' },
      { srcAddr: '10.0.0.1', dstAddr: '10.0.0.4', packetsTransferred: '1' },
    ]);
  });

  it('stats avg(bytes), max(bytes) by bin(30m) (the time of the line is the event time)', async () => {
    const result = await queryLines('stats avg(bytes), max(bytes) by bin(30m)', flows);
    expect(result.rows).toEqual([
      { 'bin(30m)': '2025-12-13 12:00:00.000', 'avg(bytes)': '2200', 'max(bytes)': '5000' },
      { 'bin(30m)': '2025-12-13 12:30:00.000', 'avg(bytes)': '200', 'max(bytes)': '200' },
    ]);
  });

  it('filter action = "REJECT" | stats count(*) as numRejections by srcAddr | sort numRejections desc', async () => {
    const result = await queryLines(
      'filter action = "REJECT" | stats count(*) as numRejections by srcAddr | sort numRejections desc',
      flows,
    );
    expect(result.rows).toEqual([{ srcAddr: '10.0.0.1', numRejections: '2' }]);
  });

  it('stats count(*) by @logStream | limit 100', async () => {
    const result = await queryLines('stats count(*) by @logStream | limit 100', flows);
    expect(result.rows).toEqual([{ '@logStream': 'app.log.2025-12-13_12', 'count(*)': '4' }]);
  });

  const plain = [
    '2025-12-13T12:00:01.000Z [ERROR] db timeout after 30s',
    '2025-12-13T12:00:02.000Z [INFO] user signed in',
    '2025-12-13T12:00:03.000Z [ERROR] NullPointerException in handler',
    '2025-12-13T12:40:00.000Z [WARN] slow Exception handler',
  ];

  it('fields @message | parse @message "[*] *" as loglevel, submessage | filter loglevel = "ERROR" | display submessage', async () => {
    const result = await queryLines(
      'fields @message | parse @message "[*] *" as loglevel, submessage | filter loglevel = "ERROR" | display submessage',
      plain,
    );
    expect(result.columns).toEqual(['submessage']);
    expect(result.rows).toEqual([
      { submessage: 'NullPointerException in handler' },
      { submessage: 'db timeout after 30s' },
    ]);
  });

  it('filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc', async () => {
    const result = await queryLines(
      'filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc',
      plain,
    );
    expect(result.rows).toEqual([{ 'bin(1h)': '2025-12-13 12:00:00.000', exceptionCount: '2' }]);
  });

  it('fields @timestamp, @message | filter @message like /(?i)error/ | sort @timestamp desc | limit 25', async () => {
    const result = await queryLines(
      'fields @timestamp, @message | filter @message like /(?i)error/ | sort @timestamp desc | limit 25',
      plain,
    );
    expect(result.rows.map((row) => row['@timestamp'])).toEqual([
      '2025-12-13 12:00:03.000',
      '2025-12-13 12:00:01.000',
    ]);
  });

  it('fields @timestamp, server, severity, message | sort @timestamp asc | dedup server', async () => {
    const events = [
      { t: at(0), server: 'a', severity: 'ERROR', message: 'a1' },
      { t: at(1), server: 'b', severity: 'WARN', message: 'b1' },
      { t: at(2), server: 'a', severity: 'INFO', message: 'a2' },
      { t: at(3), message: 'no server' },
      { t: at(4), message: 'no server either' },
    ];
    const result = await queryLines(
      'fields @timestamp, server, severity, message | sort @timestamp asc | dedup server',
      events,
    );
    expect(result.rows.map((row) => row.message)).toEqual(['a1', 'b1', 'no server', 'no server either']);
  });
});
