/**
 * The level of the running demo changed without a restart: SIGUSR2 sent to the built
 * `dist/server.js` as a real process (run `npx tsc -b` first), real HTTP on 127.0.0.1, real files.
 */
import { type LogRecord, readHourlyFiles, serverPerTest } from './helpers';

describe('SIGUSR2: debug level at run time, and back', () => {
  const scope = serverPerTest();

  it('GET /’s debug `cache lookup` is written only between the two signals', async () => {
    const { server, base, logDir } = await scope.serve();
    const get = async (url: string) => expect((await fetch(`${base}${url}`)).status).toBe(200);

    await get('/?user_id=1');
    server.child.kill('SIGUSR2');
    await server.waitFor(/\[DEBUG\] app - log level changed \| log_level=debug previous_log_level=info/);
    await get('/?user_id=2');
    server.child.kill('SIGUSR2');
    await server.waitFor(/\[INFO\] app - log level changed \| log_level=info previous_log_level=debug/);
    await get('/?user_id=3');
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);

    const { records } = readHourlyFiles(logDir);
    const lookups = records.filter((r: LogRecord) => r.message === 'cache lookup');
    expect(lookups).toEqual([
      expect.objectContaining({ level: 'DEBUG', reqId: 'req-2', cache: { key: 'user:2', hit: false } }),
    ]);
    expect(lookups[0]).not.toHaveProperty('buffered');
    expect(
      records.filter((r) => r.message === 'log level changed').map((r) => [r.level, r.log_level]),
    ).toEqual([
      ['DEBUG', 'debug'],
      ['INFO', 'info'],
    ]);
    expect(records.filter((r) => r.message === 'GET /')).toHaveLength(3);
  });
});
