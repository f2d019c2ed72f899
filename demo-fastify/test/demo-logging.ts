import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { closeLogging, setupLogging } from 'pino-cloudwatch-setup';
import { createRequestContexts, type RequestContextsOptions } from 'pino-request-context';
import { traceMixin } from 'pino-request-context/trace';
import { buildApp, type DemoApp } from '../src/app';
import { loggingConfig, readConfig } from '../src/config';
import { type LogRecord, readHourlyFiles, tempDir } from './helpers';

/**
 * The demo as `server.ts` wires it — request contexts, the trace mixin, the real transports in
 * production mode (hourly files and the console into a file) — serving `requests` one after the
 * other with `app.inject`. Returns the JSON lines of the files and the console's text.
 */
export async function runDemo(
  requests: (string | InjectOptions)[],
  {
    env = {},
    contexts = {},
    extend,
    overHttp = false,
  }: {
    env?: NodeJS.ProcessEnv;
    contexts?: RequestContextsOptions;
    extend?: (app: DemoApp) => void;
    /** Real HTTP on 127.0.0.1 (a socket, its parser and its events) instead of `app.inject`. */
    overHttp?: boolean;
  } = {},
): Promise<{ records: LogRecord[]; console: string; statuses: number[] }> {
  const tmp = tempDir();
  try {
    const logDir = path.join(tmp.dir, 'logs');
    const consoleFile = path.join(tmp.dir, 'console.txt');
    const config = readConfig({ ENVIRONMENT: 'production', LOG_PATH: path.join(logDir, 'app.log'), ...env });
    const requestContexts = createRequestContexts({ sampleRate: config.debugSampleRate, ...contexts });
    const logger = setupLogging(
      { ...loggingConfig(config), colorize: false, console: { destination: consoleFile }, requestContexts },
      { mixin: traceMixin() },
    );
    const app = buildApp({ logger, requestContexts });
    extend?.(app);
    const statuses: number[] = [];
    if (overHttp) {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      for (const request of requests) {
        const {
          url = '/',
          method = 'GET',
          headers = {},
          payload,
        } = typeof request === 'string' ? { url: request } : request;
        const body = payload === undefined ? undefined : JSON.stringify(payload);
        const sent = {
          ...(headers as Record<string, string>),
          ...(body ? { 'content-type': 'application/json' } : {}),
        };
        statuses.push((await fetch(`${base}${url as string}`, { method, headers: sent, body })).status);
      }
    } else {
      for (const request of requests) statuses.push((await app.inject(request)).statusCode);
    }
    await app.close();
    await closeLogging(logger);
    return {
      records: readHourlyFiles(logDir).records,
      console: fs.readFileSync(consoleFile, 'utf8'),
      statuses,
    };
  } finally {
    tmp.cleanup();
  }
}

/** The records of one request, in file order. */
export const ofRequest = (records: LogRecord[], reqId: string) => records.filter((r) => r.reqId === reqId);
