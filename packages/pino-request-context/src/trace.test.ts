import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createRequestContexts } from './index';
import { setXRayTraceId, toXRayTraceId, TRACE_KEYS, traceFields, traceMixin } from './trace';

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const SPAN_ID = '53995c3f42cd8ad8';

const spanContext = (traceFlags = TraceFlags.SAMPLED) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags, isRemote: true });

function logger(options: pino.LoggerOptions = {}) {
  const records: Record<string, unknown>[] = [];
  const log = pino(
    { mixin: traceMixin(), ...options },
    { write: (line: string) => void records.push(JSON.parse(line)) },
  );
  return { log, records };
}

beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterAll(() => context.disable());

describe('traceMixin', () => {
  it('uses the keys of @opentelemetry/instrumentation-pino', () => {
    expect(TRACE_KEYS).toEqual({
      traceId: 'trace_id',
      spanId: 'span_id',
      traceFlags: 'trace_flags',
      xrayTraceId: 'xray_trace_id',
    });
  });

  it('adds the active span’s ids to every record, across awaits, and nothing outside a span', async () => {
    const { log, records } = logger();
    log.info('before');
    await context.with(spanContext(), async () => {
      log.info('inside');
      await sleep(1);
      log.child({ reqId: 'req-1' }).warn('after an await');
    });
    log.info('after');
    expect(records.map((r) => [r.msg, r.trace_id, r.span_id, r.trace_flags])).toEqual([
      ['before', undefined, undefined, undefined],
      ['inside', TRACE_ID, SPAN_ID, '01'],
      ['after an await', TRACE_ID, SPAN_ID, '01'],
      ['after', undefined, undefined, undefined],
    ]);
  });

  it('writes flags as two hex digits: 00 when not sampled', () => {
    expect(traceFields(spanContext(TraceFlags.NONE))).toMatchObject({ trace_flags: '00' });
  });

  it('adds nothing for an invalid span context', () => {
    const invalid = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      traceFlags: 1,
    });
    expect(traceFields(invalid)).toEqual({});
  });

  it('adds xray_trace_id in X-Ray’s form when the context is marked as an X-Ray trace', () => {
    expect(toXRayTraceId(TRACE_ID)).toBe('1-5759e988-bd862e3fe1be46a994272793');
    const { log, records } = logger();
    context.with(setXRayTraceId(spanContext(), TRACE_ID), () => log.info('x'));
    context.with(spanContext(), () => log.info('w3c only'));
    expect(records[0]).toMatchObject({
      trace_id: TRACE_ID,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(records[1]).not.toHaveProperty('xray_trace_id');
  });

  it('takes an X-Ray trace id in either form, and ignores one in neither', () => {
    const XRAY = '1-5759e988-bd862e3fe1be46a994272793';
    expect(toXRayTraceId(XRAY)).toBe(XRAY);
    expect(toXRayTraceId(TRACE_ID.toUpperCase())).toBe(XRAY);
    expect(toXRayTraceId('nothex')).toBeUndefined();
    expect(toXRayTraceId(`${TRACE_ID}0`)).toBeUndefined();
    const { log, records } = logger();
    context.with(setXRayTraceId(spanContext(), XRAY), () => log.info('x-ray form'));
    context.with(setXRayTraceId(spanContext(), 'Root=1-garbage'), () => log.info('malformed'));
    expect(records[0]).toMatchObject({ trace_id: TRACE_ID, xray_trace_id: XRAY });
    expect(records[1]).toMatchObject({ trace_id: TRACE_ID });
    expect(records[1]).not.toHaveProperty('xray_trace_id');
  });

  it('keeps a mixin of yours; its fields win on a clash', () => {
    const { log, records } = logger({
      mixin: traceMixin((_obj: object, level: number) => ({ lvl: level, span_id: 'mine' })),
    });
    context.with(spanContext(), () => log.info('x'));
    expect(records[0]).toMatchObject({ trace_id: TRACE_ID, span_id: 'mine', lvl: 30 });
    expect(() => traceMixin(1 as never)).toThrow(/mixin must be a function/);
  });

  it('buffered records keep the trace ids of the moment they were logged', () => {
    const contexts = createRequestContexts();
    const lines: string[] = [];
    const log = pino(
      { level: contexts.loggerLevel, mixin: traceMixin() },
      contexts.destination({ write: (line: string) => void lines.push(line) }),
    );
    context.with(spanContext(), () =>
      contexts.run(() => {
        log.debug('kept');
        log.error('failed');
      }),
    );
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ msg: 'kept', buffered: true, trace_id: TRACE_ID }),
      expect.objectContaining({ msg: 'failed', trace_id: TRACE_ID }),
    ]);
  });
});
