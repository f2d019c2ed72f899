// ESM entry of `pino-request-context/trace`: re-exports the CommonJS build.
import cjs from '../dist/trace.js';

export const { TRACE_KEYS, setXRayTraceId, toXRayTraceId, traceFields, traceMixin } = cjs;
