import { Aggregator } from './aggregator';
import { LIMITS } from './constants';
import { serializeGroup, type LineGroup } from './emf';
import { resolveMetricsOptions, type MetricsSettings } from './options';
import type {
  Counter,
  DimensionValues,
  Distribution,
  MetricDefinitionOptions,
  MetricsOptions,
  MetricsStats,
} from './types';
import { destinationWriter, fileWriter, loggerWriter, type LineWriter } from './writer';

const AFTER_CLOSE = 'recorded after close()';
/** How long after an interval's end its lines are written. */
const TIMER_MARGIN_MS = 50;

/**
 * Metrics recorded in process, aggregated per interval and dimension values, written as CloudWatch
 * Embedded Metric Format lines into their own file family (or a destination). Declaring a metric
 * checks it (a mistake throws there); recording never throws for a bad value: it is dropped, counted
 * in {@link Metrics.stats} and reported once per cause.
 *
 * Invariants: a value is handed to exactly one line or counted as dropped; nothing is written after
 * `close()` has resolved; a write failure never reaches the caller (the file transport reports and
 * retries it, a destination's error is reported once).
 */
export class Metrics {
  private readonly settings: MetricsSettings;
  private readonly aggregator: Aggregator;
  private readonly writer: LineWriter;
  private readonly dropped: Record<string, number> = {};
  private readonly reported = new Set<string>();
  private lines = 0;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** Set by close(): later values are dropped and counted. */
  private ended = false;

  constructor(options: MetricsOptions) {
    this.settings = resolveMetricsOptions(options);
    const settings = this.settings;
    this.aggregator = new Aggregator({
      namespace: settings.namespace,
      defaultDimensions: settings.defaultDimensions,
      intervalMs: settings.intervalMs,
      maxBufferedValues: settings.maxBufferedValues,
      clock: settings.clock,
      onFull: (groups) => this.write(groups),
      onDrop: (metric, reason) => this.drop(reason, `a value of ${metric}: ${reason}`),
    });
    this.writer =
      settings.file !== undefined
        ? fileWriter(settings, (err) =>
            this.problem('file', `cannot write the metrics files: ${String(err)}`),
          )
        : settings.logger !== undefined
          ? loggerWriter(settings)
          : destinationWriter(settings);
    if (settings.autoFlush) this.schedule();
  }

  /** A summed metric (unit `Count` unless given): one value per interval and dimension values. */
  counter<D extends string = never>(name: string, options: MetricDefinitionOptions<D> = {}): Counter<D> {
    const state = this.aggregator.declare(name, 'counter', options);
    const aggregator = this.aggregator;
    return Object.freeze({
      name,
      add: (value: number, dimensions: DimensionValues<D>) => {
        if (this.ended) this.drop(AFTER_CLOSE, `a value of ${name}: ${AFTER_CLOSE}`);
        else aggregator.add(state, value, dimensions as Record<string, unknown> | undefined);
      },
    });
  }

  /** A metric whose every value is kept (arrays of up to 100 per line): percentiles in CloudWatch. */
  distribution<D extends string = never>(
    name: string,
    options: MetricDefinitionOptions<D> = {},
  ): Distribution<D> {
    const state = this.aggregator.declare(name, 'distribution', options);
    const aggregator = this.aggregator;
    return Object.freeze({
      name,
      record: (value: number, dimensions: DimensionValues<D>) => {
        if (this.ended) this.drop(AFTER_CLOSE, `a value of ${name}: ${AFTER_CLOSE}`);
        else aggregator.add(state, value, dimensions as Record<string, unknown> | undefined);
      },
    });
  }

  /** Writes every interval that has ended; with `all`, also the current one (its later values go into new lines). */
  flush(all = true): void {
    this.write(this.aggregator.drain(all));
  }

  /**
   * Writes everything recorded so far, stops the timer and closes the files (their last lines on disk
   * when it resolves). Values recorded afterwards are dropped and counted. Never rejects.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.flush(true);
      this.ended = true;
      try {
        await this.writer.end();
      } catch (err) {
        this.problem('close', `closing the metrics files failed: ${String(err)}`);
      }
      const drops = Object.entries(this.dropped);
      if (drops.length > 0) {
        this.settings.report(
          `dropped ${drops.reduce((sum, [, n]) => sum + n, 0)} value(s) in all: ${drops.map(([why, n]) => `${n} × ${why}`).join('; ')}`,
        );
      }
    })();
    return this.closing;
  }

  /** Values recorded, dropped (by reason) and lines written so far. */
  stats(): MetricsStats {
    return Object.freeze({
      recorded: this.aggregator.recorded,
      dropped: Object.freeze({ ...this.dropped }),
      lines: this.lines,
    });
  }

  private write(groups: LineGroup[]): void {
    if (groups.length === 0) return;
    const now = this.settings.clock();
    const out: string[] = [];
    for (const group of groups) {
      const values = group.metrics.reduce((sum, m) => sum + m.values.length, 0);
      if (group.timestamp < now - LIMITS.pastMs || group.timestamp > now + LIMITS.futureMs) {
        this.drop(
          'timestamp outside CloudWatch window',
          `values of ${new Date(group.timestamp).toISOString()} are outside CloudWatch's window (14 days back, 2 hours ahead) at ${new Date(now).toISOString()}`,
          values,
        );
        continue;
      }
      const { lines, unfit } = serializeGroup(group, this.settings.lineBudget);
      if (unfit > 0) {
        this.drop(
          'line over maxEventBytes',
          `one value of ${group.metrics.map((m) => m.name).join(', ')} with its dimensions is longer than ${this.settings.lineBudget} bytes`,
          unfit,
        );
      }
      for (const line of lines) out.push(line);
    }
    if (out.length === 0) return;
    try {
      this.writer.write(out, now);
      this.lines += out.length;
    } catch (err) {
      this.problem('write', `cannot write the metrics lines: ${String(err)}`);
    }
  }

  private drop(reason: string, message: string, count = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + count;
    this.problem(reason, `dropped: ${message}; later drops of this kind are only counted (metrics.stats())`);
  }

  private problem(cause: string, message: string): void {
    if (this.reported.has(cause)) return;
    this.reported.add(cause);
    this.settings.report(message);
  }

  /**
   * The next write just after the end of the current interval (aligned to the clock), unref'd. The
   * margin covers timers that fire a millisecond or two before the clock shows their delay: written
   * then, the interval would not have ended yet and would wait for the next write, an interval late.
   */
  private schedule(): void {
    const now = this.settings.clock();
    const interval = this.settings.intervalMs;
    this.timer = setTimeout(
      () => {
        this.flush(false);
        this.schedule();
      },
      interval - (now % interval) + TIMER_MARGIN_MS,
    );
    this.timer.unref();
  }
}

/** Checks the options (throws a `MetricsError` naming a bad one) and starts the metrics. */
export function createMetrics(options: MetricsOptions): Metrics {
  return new Metrics(options);
}
