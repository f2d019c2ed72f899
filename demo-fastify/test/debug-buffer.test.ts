import { ofRequest, runDemo } from './demo-logging';
import { CORE_KEYS, ISO_UTC } from './helpers';

// app.inject uses light-my-request, which require()s the ESM-only `cookie` 2: hand Jest the very
// module Node loads (see app.test.ts).
jest.mock('cookie', () => {
  const nodeProcess = jest
    .requireActual<typeof import('node:vm')>('node:vm')
    .runInThisContext('process') as NodeJS.Process;
  return nodeProcess.getBuiltinModule('node:module').createRequire(__filename)('cookie');
});

describe('debug records only when they matter (production, default level info, real files)', () => {
  it('GET /: the debug record `cache lookup` reaches neither the JSON file nor the console', async () => {
    const { records, console, statuses } = await runDemo(['/', '/?user_id=7', '/warn']);
    expect(statuses).toEqual([200, 200, 200]);
    expect(records.map((r) => r.message)).toEqual([
      ...['incoming request', 'GET /', 'request completed'],
      ...['incoming request', 'GET /', 'request completed'],
      ...['incoming request', 'quota almost used', 'request completed'],
    ]);
    expect(records.some((r) => r.level === 'DEBUG' || 'cache' in r)).toBe(false);
    expect(console).toContain('GET /');
    expect(console).not.toContain('cache lookup');
  });

  it('GET /error: `loading order` is in the file at DEBUG, before the ERROR, earlier, same request id', async () => {
    const { records, console, statuses } = await runDemo(['/', '/error', '/']);
    expect(statuses).toEqual([200, 500, 200]);
    const failed = ofRequest(records, 'req-2');
    expect(failed.map((r) => [r.level, r.message])).toEqual([
      ['INFO', 'incoming request'],
      ['DEBUG', 'loading order'],
      ['ERROR', 'payment lookup failed'],
      ['INFO', 'request completed'],
    ]);
    const [, loading, error] = failed as [unknown, Record<string, unknown>, Record<string, unknown>];
    expect(loading).toMatchObject({
      '@timestamp': expect.stringMatching(ISO_UTC),
      logger: 'app',
      app: 'cw_demo',
      reqId: 'req-2',
      order_id: 'ord-1042',
      buffered: true,
    });
    expect(loading).not.toHaveProperty('buffer_dropped');
    // Shaped like any other line: core keys first, no pid or hostname (the transport drops them by place).
    expect(Object.keys(loading).slice(0, 7)).toEqual([...CORE_KEYS, 'buffered']);
    expect(loading).not.toHaveProperty('pid');
    expect(loading).not.toHaveProperty('hostname');
    expect(Date.parse(loading['@timestamp'] as string)).toBeLessThan(
      Date.parse(error['@timestamp'] as string),
    );
    // The healthy requests around it kept nothing.
    expect(records.filter((r) => r.level === 'DEBUG')).toEqual([loading]);
    expect(console).toMatch(
      /\[DEBUG\] app - loading order \| buffered=true reqId=req-2 order_id=ord-1042\n.*\[ERROR\] app - payment lookup failed \| reqId=req-2/,
    );
  });

  it('sampling: a sampled request writes its debug records directly, the others keep them back', async () => {
    const draws = [0.001, 0.7, 0.002];
    const { records } = await runDemo(['/', '/', '/'], {
      env: { DEBUG_SAMPLE_RATE: '0.01' },
      contexts: { random: () => draws.shift() as number },
    });
    const lookups = records.filter((r) => r.message === 'cache lookup');
    expect(lookups.map((r) => [r.reqId, r.level, r.cache, r.buffered])).toEqual([
      ['req-1', 'DEBUG', { key: 'user:123', hit: false }, undefined],
      ['req-3', 'DEBUG', { key: 'user:123', hit: false }, undefined],
    ]);
  });

  it('a 5xx without an error record writes the request’s debug records too (when the request ends)', async () => {
    const { records, statuses } = await runDemo(['/busy', '/'], {
      extend: (app) =>
        app.get('/busy', async (request, reply) => {
          request.log.debug({ queue_depth: 812 }, 'queue full');
          return reply.code(503).send({ status: 'busy' });
        }),
    });
    expect(statuses).toEqual([503, 200]);
    expect(records.filter((r) => r.level === 'DEBUG')).toEqual([
      expect.objectContaining({ reqId: 'req-1', message: 'queue full', queue_depth: 812, buffered: true }),
    ]);
    expect(records.some((r) => r.level === 'ERROR')).toBe(false);
  });

  it('a request with a body: its handler still runs in the request’s contexts after the body is read', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { records, statuses } = await runDemo(
      [
        {
          method: 'POST',
          url: '/orders',
          headers: { traceparent },
          payload: { item: 'book', quantity: 2 },
        },
      ],
      {
        extend: (app) =>
          app.post('/orders', async (request) => {
            request.log.debug({ body: request.body }, 'order received');
            throw new Error('stock service down');
          }),
        overHttp: true,
      },
    );
    expect(statuses).toEqual([500]);
    expect(ofRequest(records, 'req-1').map((r) => [r.level, r.message, r.buffered, r.trace_id])).toEqual([
      ['INFO', 'incoming request', undefined, '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['DEBUG', 'order received', true, '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['ERROR', 'stock service down', undefined, '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['INFO', 'request completed', undefined, expect.anything()],
    ]);
  });

  it('LOG_LEVEL=debug writes every debug record as it comes', async () => {
    const { records } = await runDemo(['/', '/error'], { env: { LOG_LEVEL: 'debug' } });
    expect(records.filter((r) => r.level === 'DEBUG').map((r) => [r.reqId, r.message, r.buffered])).toEqual([
      ['req-1', 'cache lookup', undefined],
      ['req-2', 'loading order', undefined],
    ]);
  });
});
