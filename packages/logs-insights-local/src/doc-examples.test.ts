/**
 * Queries of the Logs Insights documentation (the query syntax pages and the sample queries), on
 * small sets of events whose answers can be worked out by hand.
 */
import { Readable } from 'node:stream';
import { runQuery } from './run-query';
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

  it('parse @message "user=*, method:*, latency := *" as @user, @method, @latency | stats avg(@latency) by @method, @user', async () => {
    const result = await queryLines(
      'parse @message "user=*, method:*, latency := *" as @user, @method, @latency | stats avg(@latency) by @method, @user',
      [
        '2025-12-13T12:00:00.000Z user=ann, method:GET, latency := 10',
        '2025-12-13T12:00:01.000Z user=ann, method:GET, latency := 30',
        '2025-12-13T12:00:02.000Z user=bob, method:PUT, latency := 5',
        '2025-12-13T12:00:03.000Z no match here',
      ],
    );
    expect(result.rows).toEqual([
      { '@method': 'GET', '@user': 'ann', 'avg(@latency)': '20' },
      { '@method': 'PUT', '@user': 'bob', 'avg(@latency)': '5' },
      {}, // the line that does not match: a group without values (and without numbers to average)
    ]);
  });

  it('parse @logStream "*/*/*/*" as env, service, instance, shard | stats count(*) by env, service', async () => {
    const stream = Readable.from(['{"a":1}\n{"a":2}\n']);
    const result = await runQuery(
      'parse @logStream "*/*/*/*" as env, service, instance, shard | stats count(*) by env, service',
      [{ stream, name: 'prod/api/i-0abc/3' }],
    );
    expect(result.rows).toEqual([{ env: 'prod', service: 'api', 'count(*)': '2' }]);
  });

  it('parse @message "url=*" as url | parse url "/api/*/users/*" as apiVersion, userId | display apiVersion, userId', async () => {
    const result = await queryLines(
      'parse @message "url=*" as url | parse url "/api/*/users/*" as apiVersion, userId | display apiVersion, userId',
      ['2025-12-13T12:00:00.000Z GET url=/api/v2/users/42'],
    );
    expect(result.rows).toEqual([{ apiVersion: 'v2', userId: '42' }]);
  });

  it('parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface, @message', async () => {
    const flow =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
    const result = await queryLines(
      'parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface, @message',
      [flow],
    );
    expect(result.rows).toEqual([{ NetworkInterface: 'eni-1235b8ca123456789', '@message': flow }]);
  });
});
