import { type Context, context, createContextKey, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The keys of `@opentelemetry/instrumentation-pino` (which CloudWatch Application Signals reads to
 * link a trace to its log lines), and the X-Ray form of the trace id.
 */
export const TRACE_KEYS = Object.freeze({
  traceId: 'trace_id',
  spanId: 'span_id',
  traceFlags: 'trace_flags',
  xrayTraceId: 'xray_trace_id',
} as const);

const XRAY_TRACE_ID = createContextKey('pino-request-context: X-Ray trace id');

/**
 * The trace id (32 hex digits) in X-Ray's form, `1-` + the first 8 digits (the epoch seconds X-Ray
 * put there) + `-` + the other 24: `1-5759e988-bd862e3fe1be46a994272793`.
 */
export function toXRayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

/**
 * `ctx` marked as carrying an X-Ray trace (a request with an `X-Amzn-Trace-Id` header, as
 * `@opentelemetry/propagator-aws-xray` extracted it): lines logged in it also get `xray_trace_id`.
 */
export function setXRayTraceId(ctx: Context, traceId: string): Context {
  return ctx.setValue(XRAY_TRACE_ID, toXRayTraceId(traceId));
}

/**
 * The trace fields of the active span, as `@opentelemetry/instrumentation-pino` writes them:
 * `trace_id` (32 hex), `span_id` (16 hex), `trace_flags` (2 hex: `01` sampled), plus
 * `xray_trace_id` in a context marked by {@link setXRayTraceId}. Nothing without a valid span.
 */
export function traceFields(active: Context = context.active()): Record<string, string> {
  const spanContext = trace.getSpanContext(active);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  const fields: Record<string, string> = {
    [TRACE_KEYS.traceId]: spanContext.traceId,
    [TRACE_KEYS.spanId]: spanContext.spanId,
    [TRACE_KEYS.traceFlags]: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
  const xray = active.getValue(XRAY_TRACE_ID);
  if (typeof xray === 'string') fields[TRACE_KEYS.xrayTraceId] = xray;
  return fields;
}

/**
 * A pino `mixin` adding {@link traceFields} to every record logged while a span is active:
 * `pino({ mixin: traceMixin() })`. With another mixin of yours, pass it as `mixin`: its fields
 * win over the trace's on a clash.
 */
export function traceMixin(): () => Record<string, string>;
export function traceMixin<Args extends unknown[]>(
  mixin: (...args: Args) => object,
): (...args: Args) => object;
export function traceMixin(mixin?: (...args: unknown[]) => object): (...args: unknown[]) => object {
  if (mixin !== undefined && typeof mixin !== 'function') {
    throw new Error('pino-request-context: traceMixin(mixin): mixin must be a function, as pino takes it');
  }
  if (mixin === undefined) return () => traceFields();
  return (...args) => ({ ...traceFields(), ...mixin(...args) });
}
