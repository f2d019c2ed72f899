import { checkOptionKeys, describeValue } from 'pino-cloudwatch-core';
import { LIMITS, STORAGE_RESOLUTIONS, UNITS, type StorageResolution, type Unit } from './constants';
import type { LineGroup } from './emf';
import { checkMemberName, dimensionValueProblem, MetricsError, valueProblem } from './names';

export type MetricKind = 'counter' | 'distribution';

/** NaN and ±Infinity fail `Math.abs(value) <= MAX_MAGNITUDE` too: one comparison on the request path. */
const MAX_MAGNITUDE = LIMITS.maxMagnitude;

/** A declared metric, checked once. */
export interface MetricSpec {
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  /** The declared dimension keys, in the order given. */
  readonly dimensionKeys: readonly string[];
  /** The published dimension sets, default dimensions first in each. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Metrics with the same signature and dimension values share lines. */
  readonly signature: string;
  /** The width of its buckets: the interval, or one second for high resolution. */
  readonly widthMs: number;
}

/** One metric's values for one set of dimension values in one bucket. */
interface Series {
  readonly spec: MetricSpec;
  readonly start: number;
  readonly key: string;
  readonly dimensionValues: readonly string[];
  /** A distribution's values; a counter's sum is values[0]. */
  readonly values: number[];
}

/** A metric's open bucket and its series by dimension values. */
interface MetricState {
  readonly spec: MetricSpec;
  start: number;
  series: Map<string, Series>;
}

export interface AggregatorOptions {
  readonly namespace: string;
  readonly defaultDimensions: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  readonly maxBufferedValues: number;
  readonly clock: () => number;
  /** Called with a series that reached maxBufferedValues: its lines are written at once. */
  readonly onFull: (groups: LineGroup[]) => void;
  /** Called for each value that is not recorded, with why. */
  readonly onDrop: (metric: string, reason: string) => void;
}

/** The options of a metric's declaration (`counter`, `distribution`). */
const DECLARATION_OPTIONS: readonly string[] = ['unit', 'dimensions', 'dimensionSets', 'storageResolution'];

/**
 * Values per metric, dimension values and bucket (an interval aligned to the clock, or a second for
 * high-resolution metrics): a counter keeps the sum, a distribution every value. `drain` hands the
 * ended buckets (or all) over as line groups. No I/O and no timers: the caller's clock decides.
 */
export class Aggregator {
  private readonly states: MetricState[] = [];
  private readonly names = new Set<string>();
  private readonly dimensionNames = new Set<string>();
  /** Series of buckets that ended while their metric was recorded to (handed over at the next drain). */
  private closed: Series[] = [];
  private readonly defaultKeys: readonly string[];
  private readonly defaultValues: readonly string[];
  recorded = 0;
  private readonly clock: () => number;

  constructor(private readonly options: AggregatorOptions) {
    this.clock = options.clock;
    this.defaultKeys = Object.keys(options.defaultDimensions);
    this.defaultValues = Object.values(options.defaultDimensions);
    for (const key of this.defaultKeys) this.dimensionNames.add(key);
  }

  /** Checks a declaration (throws a MetricsError for a mistake) and registers it. */
  declare(
    name: string,
    kind: MetricKind,
    options: {
      unit?: unknown;
      dimensions?: unknown;
      dimensionSets?: unknown;
      storageResolution?: unknown;
    } = {},
  ): MetricState {
    const what = `${kind} ${describeValue(name)}`;
    checkMemberName(name, `${kind} name`);
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new MetricsError(
        `${what}: options must be an object like { dimensions: ['Route'] }, got ${describeValue(options)}`,
      );
    }
    checkOptionKeys(options as Record<string, unknown>, DECLARATION_OPTIONS, {
      strict: true,
      fail: (option, rule) => {
        throw new MetricsError(`${what}: option ${describeValue(option)} ${rule}`);
      },
    });
    if (this.names.has(name))
      throw new MetricsError(`${what} is declared twice; declare it once and share it`);
    if (this.dimensionNames.has(name)) throw new MetricsError(`${what}: a dimension has that name already`);
    const unit = options.unit ?? (kind === 'counter' ? 'Count' : 'None');
    if (!(UNITS as readonly unknown[]).includes(unit)) {
      throw new MetricsError(
        `${what}: unit must be one of CloudWatch's units (${UNITS.join(', ')}), got ${describeValue(unit)}`,
      );
    }
    const storageResolution = options.storageResolution ?? 60;
    if (!(STORAGE_RESOLUTIONS as readonly unknown[]).includes(storageResolution)) {
      throw new MetricsError(
        `${what}: storageResolution must be 60 (standard) or 1 (high resolution), got ${describeValue(storageResolution)}`,
      );
    }
    const dimensionKeys = keyList(options.dimensions ?? [], `${what}: dimensions`);
    for (const key of dimensionKeys) {
      checkMemberName(key, `${what}: dimension`);
      if (this.defaultKeys.includes(key)) {
        throw new MetricsError(
          `${what}: dimension ${describeValue(key)} is a default dimension already (added to every set)`,
        );
      }
      if (this.names.has(key))
        throw new MetricsError(`${what}: dimension ${describeValue(key)} is the name of a metric`);
    }
    const sets =
      options.dimensionSets === undefined
        ? [dimensionKeys]
        : listOf(options.dimensionSets, `${what}: dimensionSets`).map((set, i) => {
            const keys = keyList(set, `${what}: dimensionSets[${i}]`);
            for (const key of keys) {
              if (!dimensionKeys.includes(key)) {
                throw new MetricsError(
                  `${what}: dimensionSets[${i}] names ${describeValue(key)}, which is not in its dimensions`,
                );
              }
            }
            return keys;
          });
    if (sets.length === 0)
      throw new MetricsError(`${what}: dimensionSets is empty; give at least one set ([] for none)`);
    const dimensionSets = sets.map((set) => [...this.defaultKeys, ...set]);
    for (const set of dimensionSets) {
      if (set.length > LIMITS.dimensionsPerSet) {
        throw new MetricsError(
          `${what}: a dimension set has ${set.length} keys with the default dimensions; CloudWatch allows ${LIMITS.dimensionsPerSet}`,
        );
      }
    }
    const spec: MetricSpec = Object.freeze({
      name,
      kind,
      unit: unit as Unit,
      storageResolution: storageResolution as StorageResolution,
      dimensionKeys: Object.freeze(dimensionKeys),
      dimensionSets: Object.freeze(dimensionSets.map((set) => Object.freeze(set))),
      signature: JSON.stringify([dimensionKeys, dimensionSets]),
      widthMs: storageResolution === 1 ? 1000 : this.options.intervalMs,
    });
    this.names.add(name);
    for (const key of dimensionKeys) this.dimensionNames.add(key);
    const state: MetricState = { spec, start: -1, series: new Map() };
    this.states.push(state);
    return state;
  }

  /** Adds a value (the request path). Bad values are dropped and reported through onDrop. */
  add(state: MetricState, value: number, dimensions: Record<string, unknown> | undefined): void {
    const spec = state.spec;
    if (typeof value !== 'number' || !(Math.abs(value) <= MAX_MAGNITUDE)) {
      this.options.onDrop(spec.name, valueProblem(value)!);
      return;
    }
    const keys = spec.dimensionKeys;
    let key = '';
    if (keys.length > 0) {
      if (dimensions === null || typeof dimensions !== 'object') {
        // On the request path nothing throws into the application: dropped and reported like a bad value.
        this.options.onDrop(
          spec.name,
          `the dimensions must be an object with ${keys.join(', ')}, got ${dimensions === null ? 'null' : typeof dimensions}`,
        );
        return;
      }
      for (let i = 0; i < keys.length; i++) {
        const part = dimensions[keys[i]!];
        // Checked here, not only for a new series: a missing value must not join the series of "undefined".
        if (typeof part !== 'string') {
          this.options.onDrop(spec.name, `${dimensionValueProblem(part)!} (dimension ${keys[i]!})`);
          return;
        }
        key = i === 0 ? part : `${key}\u0000${part}`;
      }
    }
    const now = this.clock();
    const start = now - (now % spec.widthMs);
    if (start !== state.start) {
      for (const series of state.series.values()) this.closed.push(series);
      state.series = new Map();
      state.start = start;
    }
    let series = state.series.get(key);
    if (series === undefined) {
      const values: string[] = [];
      for (const name of keys) {
        const dimension = dimensions![name];
        const problem = dimensionValueProblem(dimension);
        if (problem !== undefined) {
          this.options.onDrop(spec.name, `${problem} (dimension ${name})`);
          return;
        }
        values.push(dimension as string);
      }
      series = { spec, start, key, dimensionValues: values, values: [] };
      state.series.set(key, series);
    }
    if (spec.kind === 'counter') {
      if (series.values.length === 0) series.values.push(value);
      else series.values[0]! += value;
    } else {
      series.values.push(value);
      if (series.values.length >= this.options.maxBufferedValues) {
        state.series.delete(key);
        this.options.onFull(this.groups([series]));
      }
    }
    this.recorded++;
  }

  /** The line groups of every bucket that has ended by the clock's now, or of every bucket with `all`. */
  drain(all: boolean): LineGroup[] {
    const now = this.options.clock();
    const ready = this.closed;
    this.closed = [];
    for (const state of this.states) {
      if (state.series.size === 0) continue;
      if (all || state.start + state.spec.widthMs <= now) {
        for (const series of state.series.values()) ready.push(series);
        state.series = new Map();
      }
    }
    return this.groups(ready);
  }

  /** Series that share a bucket, a signature and dimension values become one group, in declaration order. */
  private groups(series: Series[]): LineGroup[] {
    const byKey = new Map<string, { first: Series; members: Series[] }>();
    for (const one of series) {
      const key = `${one.start}\u0001${one.spec.signature}\u0001${one.key}`;
      const group = byKey.get(key);
      if (group === undefined) {
        byKey.set(key, { first: one, members: [one] });
        continue;
      }
      // The same metric twice in one bucket happens only when the clock stepped back and forth again.
      const same = group.members.find((member) => member.spec === one.spec);
      if (same === undefined) group.members.push(one);
      else if (one.spec.kind === 'counter') same.values[0]! += one.values[0]!;
      else for (const value of one.values) same.values.push(value);
    }
    const out: LineGroup[] = [];
    for (const { first, members } of byKey.values()) {
      out.push({
        timestamp: first.start,
        namespace: this.options.namespace,
        dimensionKeys: [...this.defaultKeys, ...first.spec.dimensionKeys],
        dimensionValues: [...this.defaultValues, ...first.dimensionValues],
        dimensionSets: first.spec.dimensionSets,
        metrics: members.map((m) => ({
          name: m.spec.name,
          unit: m.spec.unit,
          storageResolution: m.spec.storageResolution,
          values: m.values,
        })),
      });
    }
    return out;
  }
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new MetricsError(`${what} must be an array, got ${describeValue(value)}`);
  return value;
}

function keyList(value: unknown, what: string): string[] {
  const keys = listOf(value, what);
  for (const key of keys) {
    if (typeof key !== 'string')
      throw new MetricsError(`${what} must hold dimension names (strings), got ${describeValue(key)}`);
  }
  if (new Set(keys).size !== keys.length) throw new MetricsError(`${what} names a dimension twice`);
  return keys as string[];
}
