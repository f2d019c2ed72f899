import {
  type Context,
  context,
  defaultTextMapGetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import type { FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RequestContext, RequestContexts } from 'pino-request-context';
import { setXRayTraceId } from 'pino-request-context/trace';

/**
 * OpenTelemetry's context manager for Node (AsyncLocalStorage), so that a context entered with
 * `context.with` follows the request's async work. An OpenTelemetry SDK started before the app
 * registers its own; then this one is not needed and `setGlobalContextManager` keeps the SDK's.
 */
export function enableTraceContext(): void {
  if (enabled) return;
  enabled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
let enabled = false;

const w3c = new W3CTraceContextPropagator();
const xray = new AWSXRayPropagator();

/**
 * The trace a request belongs to, from its headers, by OpenTelemetry's own propagators: W3C
 * `traceparent`, else AWS `X-Amzn-Trace-Id`. When an X-Ray header is there its trace id also
 * becomes `xray_trace_id` (an AWS load balancer adds one to every request, so `traceparent` wins
 * for `trace_id`). A span already active (an SDK's HTTP instrumentation made the server span)
 * is kept as it is.
 */
export function traceContextOf(
  headers: Record<string, unknown>,
  active: Context = context.active(),
): Context {
  const fromXRay = trace.getSpanContext(xray.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
  let traced = active;
  if (trace.getSpan(active) === undefined) {
    const fromW3C = w3c.extract(active, headers, defaultTextMapGetter);
    traced =
      trace.getSpan(fromW3C) !== undefined || fromXRay === undefined
        ? fromW3C
        : trace.setSpanContext(active, fromXRay);
  }
  return fromXRay !== undefined && isSpanContextValid(fromXRay)
    ? setXRayTraceId(traced, fromXRay.traceId)
    : traced;
}

export interface RequestContextHooksOptions {
  /** Debug records per request (`pino-request-context`); without them only the trace context is entered. */
  requestContexts?: RequestContexts;
  /** Logs Fastify's `incoming request` line once the request runs in its contexts (so it has the trace ids too). */
  logIncomingRequest?: (request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * Every request runs in its trace context and its own request context, from its first hook to
 * its response: started in `onRequest` (the rest of the request runs inside, as
 * `@fastify/request-context` does it) and ended in `onResponse` — a 5xx writes the buffered
 * records first — or when the client aborts. `preHandler` enters both again: a body is read from
 * the socket's events, which may run in the connection's context rather than the request's (with
 * Node's AsyncContextFrame, the default from Node 24), and the handler must not lose them.
 */
export function requestContextHooks(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>,
  { requestContexts, logIncomingRequest }: RequestContextHooksOptions = {},
): void {
  enableTraceContext();
  const contextsOf = new WeakMap<FastifyRequest, { traced: Context; requestContext?: RequestContext }>();
  /** Runs `next` in the request's trace context and request context. */
  const enter = (request: FastifyRequest, next: () => void): void => {
    const entered = contextsOf.get(request);
    if (entered === undefined) return next();
    context.with(entered.traced, () =>
      entered.requestContext === undefined ? next() : entered.requestContext.run(next),
    );
  };
  app.addHook('onRequest', (request, reply, done) => {
    contextsOf.set(request, {
      traced: traceContextOf(request.headers),
      requestContext: requestContexts?.start(),
    });
    enter(request, () => {
      logIncomingRequest?.(request, reply);
      done();
    });
  });
  app.addHook('preHandler', (request, _reply, done) => enter(request, done));
  app.addHook('onResponse', async (request, reply) => {
    contextsOf.get(request)?.requestContext?.end({ flush: reply.statusCode >= 500 });
  });
  app.addHook('onRequestAbort', async (request) => {
    contextsOf.get(request)?.requestContext?.end();
  });
}
