import type { FormatContext } from './options';

/**
 * OpenTelemetry's fields as `@opentelemetry/instrumentation-pino` (and `pino-request-context/trace`)
 * write them. The JSON file keeps them whole; on the console a short trace id stands for them.
 */
export const TRACE_ID_KEY = 'trace_id';
const TRACE_KEYS = [TRACE_ID_KEY, 'span_id', 'trace_flags', 'xray_trace_id'] as const;

/** How many hex digits of the trace id the console shows. */
export const SHORT_TRACE_ID_LENGTH = 8;

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The short trace id of a record: the last 8 hex digits of a valid `trace_id` (X-Ray's ids start
 * with the time in seconds, so their first digits are the same for every request of a moment), or
 * `undefined` when the record has none (a `trace_id` of another shape prints as any other extra).
 */
export function shortTraceId(record: Record<string, unknown>): string | undefined {
  const traceId = record[TRACE_ID_KEY];
  return typeof traceId === 'string' && TRACE_ID.test(traceId)
    ? traceId.slice(-SHORT_TRACE_ID_LENGTH)
    : undefined;
}

const withTraceHidden = new WeakMap<FormatContext, FormatContext>();

/**
 * The context for the extras of a traced record: the trace fields hidden (unless `include`
 * names them), as the short id is printed instead. Made once per context.
 */
export function traceHiddenContext(context: FormatContext): FormatContext {
  let hidden = withTraceHidden.get(context);
  if (hidden === undefined) {
    const keys = new Set(context.hiddenKeys);
    for (const key of TRACE_KEYS) if (!context.settings.include.has(key)) keys.add(key);
    hidden = { ...context, hiddenKeys: keys };
    withTraceHidden.set(context, hidden);
  }
  return hidden;
}
