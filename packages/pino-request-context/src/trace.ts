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

const OTEL_TRACE_ID = /^[0-9a-f]{32}$/i;
const XRAY_FORM = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/i;

/**
 * The trace id (32 hex digits) in X-Ray's form, `1-` + the first 8 digits (the epoch seconds X-Ray
 * put there) + `-` + the other 24: `1-5759e988-bd862e3fe1be46a994272793`. An id already in that
 * form is returned as it is; anything else gives `undefined`. Lower case.
 */
export function toXRayTraceId(traceId: string): string | undefined {
  if (typeof traceId !== 'string') return undefined;
  if (XRAY_FORM.test(traceId)) return traceId.toLowerCase();
  if (!OTEL_TRACE_ID.test(traceId)) return undefined;
  const id = traceId.toLowerCase();
  return `1-${id.slice(0, 8)}-${id.slice(8)}`;
}

/**
 * `ctx` marked as carrying an X-Ray trace (a request with an `X-Amzn-Trace-Id` header, as
 * `@opentelemetry/propagator-aws-xray` extracted it): lines logged in it also get `xray_trace_id`.
 * `traceId` in either form (32 hex digits, or X-Ray's `1-…-…`); a value that is neither (a
 * malformed header) leaves `ctx` as it is.
 */
export function setXRayTraceId(ctx: Context, traceId: string): Context {
  const xray = toXRayTraceId(traceId);
  return xray === undefined ? ctx : ctx.setValue(XRAY_TRACE_ID, xray);
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
