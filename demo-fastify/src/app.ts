import Fastify, { type FastifyPluginAsync, type FastifyServerOptions, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import type { RequestContexts } from 'pino-request-context';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestContextHooks } from './request-context';
import { decimalRequestIds, DemoLogController, roundMs as ms } from './request-logging';

/** What the routes log under `user_id` when the request does not say. */
export const DEMO_USER_ID = 123;

const userQuery = {
  type: 'object',
  properties: { user_id: { type: 'integer', minimum: 0, default: DEMO_USER_ID } },
} as const;

/**
 * The demo's routes, as a plugin: the seed's Flask app on Fastify. Every log call goes through
 * `request.log`, the request's child logger, so each record carries `reqId`.
 */
export const routes: FastifyPluginAsync = async (app) => {
  /** Health check: logs `GET /` with extras (the Insights examples query them). */
  app.get<{ Querystring: { user_id: number } }>(
    '/',
    { schema: { querystring: userQuery } },
    async (request, reply) => {
      // Below the default level: kept back with the request, and never written as it succeeds.
      request.log.debug({ cache: { key: `user:${request.query.user_id}`, hit: false } }, 'cache lookup');
      request.log.info({ user_id: request.query.user_id, response_time_ms: ms(reply.elapsedTime) }, 'GET /');
      return { status: 'ok' };
    },
  );

  /**
   * Quiet probe for Docker's HEALTHCHECK and load balancers: at route level `warn`, Fastify's own
   * request lines are skipped, so a probe every 30 s adds nothing to the CloudWatch files.
   */
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  /** A warning with extras: shows up with `filter level = "WARN"`. */
  app.get<{ Querystring: { user_id: number } }>(
    '/warn',
    { schema: { querystring: userQuery } },
    async (request) => {
      request.log.warn(
        { user_id: request.query.user_id, quota_used_pct: 93, quota_limit: 1000 },
        'quota almost used',
      );
      return { status: 'warned' };
    },
  );

  /**
   * Throws: Fastify's error handler answers 500 and logs an ERROR record whose `err` (with its
   * `cause` and `code`) becomes the structured `error` object of the JSON line. The debug record
   * before it is kept back with the request and written just before that ERROR record.
   */
  app.get('/error', async (request) => {
    request.log.debug({ order_id: 'ord-1042' }, 'loading order');
    await sleep(2); // the lookup that fails
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' });
    throw Object.assign(new Error('payment lookup failed', { cause }), { code: 'DEMO_PAYMENT_LOOKUP' });
  });

  /** Takes `ms` milliseconds (default 200, at most 10 s): response times to query, and in-flight requests at shutdown. */
  app.get<{ Querystring: { ms: number } }>(
    '/slow',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { ms: { type: 'integer', minimum: 0, maximum: 10_000, default: 200 } },
        },
      },
    },
    async (request, reply) => {
      await sleep(request.query.ms);
      request.log.info(
        { waited_ms: request.query.ms, response_time_ms: ms(reply.elapsedTime) },
        'slow work done',
      );
      return { status: 'ok', waited_ms: request.query.ms };
    },
  );
};

export interface AppOptions extends Omit<
  FastifyServerOptions<RawServerDefault, Logger>,
  'logger' | 'loggerInstance'
> {
  /** The pino logger from `setupLogging`; Fastify's own request logs go through it too. */
  logger: Logger;
  /** The request contexts given to `setupLogging` (debug records per request); each request runs in one. */
  requestContexts?: RequestContexts;
}

/**
 * Build the demo app (not listening): `server.ts` listens, tests call `app.inject`. Request ids
 * are `req-1`, `req-2`, … and Fastify's own request lines go through {@link DemoLogController};
 * `fastifyOptions` can replace either. Every request runs in its OpenTelemetry trace context
 * (from `traceparent` / `X-Amzn-Trace-Id`) and, given `requestContexts`, its own request context.
 */
export function buildApp({ logger, requestContexts, ...fastifyOptions }: AppOptions) {
  const logController = new DemoLogController();
  const app = Fastify({
    loggerInstance: logger,
    genReqId: decimalRequestIds(),
    logController,
    ...fastifyOptions,
  });
  // Each request in its trace context and request context, `incoming request` logged inside them.
  requestContextHooks(app, {
    requestContexts,
    logIncomingRequest:
      fastifyOptions.logController === undefined
        ? (request, reply) => logController.logIncomingRequest(request, reply)
        : undefined,
  });
  closeKeptAliveConnectionsOnClose(app);
  app.register(routes);
  return app;
}

/**
 * `app.close()` waits for every open connection. Fastify closes the idle keep-alive ones when
 * closing starts, but a connection busy with an in-flight request becomes idle afterwards and would
 * hold the shutdown open until its keep-alive timeout (72 s by default) — past Docker's stop
 * timeout. So a response sent while closing says `Connection: close`, and Node closes the socket.
 */
function closeKeptAliveConnectionsOnClose(app: DemoApp): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}

export type DemoApp = ReturnType<typeof buildApp>;
