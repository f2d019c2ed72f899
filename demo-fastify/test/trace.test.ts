import { ofRequest, runDemo } from './demo-logging';

jest.mock('cookie', () => {
  const nodeProcess = jest
    .requireActual<typeof import('node:vm')>('node:vm')
    .runInThisContext('process') as NodeJS.Process;
  return nodeProcess.getBuiltinModule('node:module').createRequire(__filename)('cookie');
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const XRAY_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const XRAY_HEADER = `Root=${XRAY_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;

describe('trace correlation (real requests, real files)', () => {
  it('traceparent: every line of that request carries its trace_id, span_id and trace_flags', async () => {
    const { records } = await runDemo([
      { url: '/', headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } },
      '/',
    ]);
    const traced = ofRequest(records, 'req-1');
    expect(traced.map((r) => r.message)).toEqual(['incoming request', 'GET /', 'request completed']);
    for (const record of traced) {
      expect(record).toMatchObject({ trace_id: TRACE_ID, span_id: PARENT_ID, trace_flags: '01' });
      expect(record).not.toHaveProperty('xray_trace_id');
    }
    for (const record of ofRequest(records, 'req-2')) expect(record).not.toHaveProperty('trace_id');
  });

  it('the console shows the trace id short, first of the extras', async () => {
    const { console } = await runDemo([
      { url: '/', headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } },
      '/',
    ]);
    expect(console).toMatch(/\[INFO\] app - GET \/ \| trace=0e0e4736 reqId=req-1 user_id=123 /);
    expect(console).toMatch(/\[INFO\] app - GET \/ \| reqId=req-2 user_id=123 /);
    expect(console).not.toContain(TRACE_ID);
  });

  it('X-Amzn-Trace-Id: lines get xray_trace_id in X-Ray’s form, and its trace as trace_id', async () => {
    const { records } = await runDemo([{ url: '/warn', headers: { 'x-amzn-trace-id': XRAY_HEADER } }]);
    const lines = ofRequest(records, 'req-1');
    expect(lines).toHaveLength(3);
    for (const record of lines) {
      expect(record).toMatchObject({
        trace_id: '5759e988bd862e3fe1be46a994272793',
        span_id: '53995c3f42cd8ad8',
        trace_flags: '01',
        xray_trace_id: XRAY_ROOT,
      });
    }
  });

  it('both headers: trace_id from traceparent, xray_trace_id from the X-Ray header', async () => {
    const { records } = await runDemo([
      {
        url: '/',
        headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-00`, 'x-amzn-trace-id': XRAY_HEADER },
      },
    ]);
    for (const record of ofRequest(records, 'req-1')) {
      expect(record).toMatchObject({ trace_id: TRACE_ID, trace_flags: '00', xray_trace_id: XRAY_ROOT });
    }
  });

  it('the buffered debug record of a failed request carries the trace ids too', async () => {
    const { records } = await runDemo([
      { url: '/error', headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } },
    ]);
    expect(records.filter((r) => r.message === 'loading order')).toEqual([
      expect.objectContaining({ level: 'DEBUG', buffered: true, trace_id: TRACE_ID, span_id: PARENT_ID }),
    ]);
    expect(records.find((r) => r.level === 'ERROR')).toMatchObject({ trace_id: TRACE_ID });
  });

  it('a malformed header is ignored: the request is served, its lines have no trace fields', async () => {
    const { records, statuses } = await runDemo([
      { url: '/', headers: { traceparent: '00-not-a-trace-01', 'x-amzn-trace-id': 'Root=garbage' } },
    ]);
    expect(statuses).toEqual([200]);
    for (const record of records) {
      expect(record).not.toHaveProperty('trace_id');
      expect(record).not.toHaveProperty('xray_trace_id');
    }
  });
});
