import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** Milliseconds with microsecond precision, as numbers CloudWatch Logs Insights can `stats avg(...)`. */
export const roundMs = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Request ids `req-1`, `req-2`, … counted in decimal by each app. Fastify's own counter writes
 * them in base 36 (`req-a` follows `req-9`), which reads like a typo in a log line.
 */
export function decimalRequestIds(): () => string {
  let last = 0;
  return () => `req-${++last}`;
}

/**
 * Fastify's own request lines, for the people who read them. A 4xx is the client's mistake: one
 * WARN line with the error's message and `error_code`, no stack trace (it would only show
 * Fastify's validator) and no `err` object (the console prints one under the line). `responseTime`
 * is rounded like `response_time_ms`. Everything else (5xx at ERROR with the stack, 404 at INFO,
 * incoming requests) stays Fastify's default.
 *
 * Uses Fastify's documented `logController` option; an overridden method must check
 * `isLogDisabled` itself. `incoming request` is written by {@link logIncomingRequest}, which the
 * app's request-context hook calls once the request runs in its trace and request contexts
 * (Fastify logs it before any hook, outside them).
 */
export class DemoLogController extends LogController {
  override incomingRequest(): void {}

  /** Fastify's own `incoming request` line. */
  logIncomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    super.incomingRequest(request, reply);
  }

  override defaultErrorLog(
    error: Error,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (reply.statusCode >= 500) return super.defaultErrorLog(error, request, reply, metadata);
    if (this.isLogDisabled(request)) return;
    const { code } = (error ?? {}) as { code?: unknown };
    reply.log.warn({ res: reply, error_code: code }, error?.message);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const responseTime = roundMs(reply.elapsedTime);
    if (error) reply.log.error({ res: reply, err: error, responseTime }, 'request errored');
    else reply.log.info({ res: reply, responseTime }, 'request completed');
  }
}
