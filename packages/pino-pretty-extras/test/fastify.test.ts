import { PassThrough } from 'node:stream';
import prettyExtras from '../src/index';

// The two records fastify 5.12 logs for `app.inject({ url: '/' })` with `genReqId: () => 'req-1'`,
// as pino wrote them. (fastify itself cannot load under jest here: one of its dependencies is
// ESM-only, and it is not a dependency of this package.)
const INCOMING =
  '{"level":30,"time":1765629045123,"pid":1,"hostname":"box","name":"api","reqId":"req-1",' +
  '"req":{"method":"GET","url":"/","host":"localhost:80","remoteAddress":"127.0.0.1"},"msg":"incoming request"}';
const COMPLETED =
  '{"level":30,"time":1765629045126,"pid":1,"hostname":"box","name":"api","reqId":"req-1",' +
  '"res":{"statusCode":200},"responseTime":2.4044750000000477,"msg":"request completed"}';

function print(options: Parameters<typeof prettyExtras>[0]): string[] {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  prettyExtras({ destination: out, colorize: false, timeZone: 'UTC', ...options }).write(
    `${INCOMING}\n${COMPLETED}\n`,
  );
  return text.split('\n');
}

describe('Fastify request logs', () => {
  it('print one line per request and per response, request fields as dotted keys', () => {
    expect(print({}).slice(0, 2)).toEqual([
      '2025-12-13 12:30:45 [INFO] api - incoming request | reqId=req-1 req.method=GET req.url=/ req.host=localhost:80 req.remoteAddress=127.0.0.1',
      '2025-12-13 12:30:45 [INFO] api - request completed | reqId=req-1 res.statusCode=200 responseTime=2.4044750000000477',
    ]);
  });

  it('drop the connection details with ignore', () => {
    expect(print({ ignore: ['req.host', 'req.remoteAddress', 'req.remotePort'] })[0]).toBe(
      '2025-12-13 12:30:45 [INFO] api - incoming request | reqId=req-1 req.method=GET req.url=/',
    );
  });
});
