import { LIMITS, type StorageResolution, type Unit } from './constants';

/** One metric's values in a line group. */
export interface GroupMetric {
  readonly name: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  /** A counter's one sum, or a distribution's values in the order recorded. */
  readonly values: readonly number[];
}

/** What goes into one or more EMF lines: metrics that share a timestamp, dimension sets and dimension values. */
export interface LineGroup {
  /** `_aws.Timestamp`: the start of the interval (or second) the values belong to, epoch ms. */
  readonly timestamp: number;
  readonly namespace: string;
  /** Dimension keys and their values, in the same order (default dimensions first). */
  readonly dimensionKeys: readonly string[];
  readonly dimensionValues: readonly string[];
  /** The DimensionSets, each a list of keys of `dimensionKeys`. */
  readonly dimensionSets: readonly (readonly string[])[];
  readonly metrics: readonly GroupMetric[];
}

/** The result: the lines (JSON objects without a newline) and what would not fit in any line. */
export interface SerializedGroup {
  readonly lines: string[];
  /** Values left out because even one of them with the dimensions is larger than the line budget. */
  readonly unfit: number;
}

/**
 * The EMF lines of a group: at most 100 metrics per line and 100 values per metric array (a metric
 * with more values continues in the next lines, under the same timestamp and dimensions), and no line
 * longer than `budget` UTF-8 bytes — the values per line, then the metrics per line, are halved until
 * every line fits. Pure: no I/O.
 */
export function serializeGroup(group: LineGroup, budget: number): SerializedGroup {
  const head = dimensionMembers(group);
  let valuesPerLine: number = LIMITS.valuesPerMetric;
  let metricsPerLine: number = LIMITS.metricsPerDirective;
  for (;;) {
    const lines = tryLines(group, head, metricsPerLine, valuesPerLine, budget);
    if (lines !== undefined) return { lines, unfit: 0 };
    if (valuesPerLine > 1) valuesPerLine = Math.ceil(valuesPerLine / 2);
    else if (metricsPerLine > 1) metricsPerLine = Math.ceil(metricsPerLine / 2);
    else return { lines: [], unfit: group.metrics.reduce((sum, m) => sum + m.values.length, 0) };
  }
}

/** The lines at these sizes, or undefined when one of them is over the budget. */
function tryLines(
  group: LineGroup,
  head: string,
  metricsPerLine: number,
  valuesPerLine: number,
  budget: number,
): string[] | undefined {
  const lines: string[] = [];
  for (let first = 0; first < group.metrics.length; first += metricsPerLine) {
    const chunk = group.metrics.slice(first, first + metricsPerLine);
    const rounds = Math.max(...chunk.map((m) => Math.ceil(m.values.length / valuesPerLine)));
    for (let round = 0; round < rounds; round++) {
      const definitions: string[] = [];
      const members: string[] = [];
      for (const metric of chunk) {
        const values = metric.values.slice(round * valuesPerLine, (round + 1) * valuesPerLine);
        if (values.length === 0) continue;
        definitions.push(definition(metric));
        members.push(
          // JSON.stringify writes a finite number as String() does (and -0 as 0), a third faster than mapping.
          `${JSON.stringify(metric.name)}:${values.length === 1 ? number(values[0]!) : JSON.stringify(values)}`,
        );
      }
      const line =
        `{"_aws":{"Timestamp":${group.timestamp},"CloudWatchMetrics":[{"Namespace":${JSON.stringify(group.namespace)},` +
        `"Dimensions":${JSON.stringify(group.dimensionSets)},"Metrics":[${definitions.join(',')}]}]}` +
        `${head},${members.join(',')}}`;
      if (Buffer.byteLength(line) > budget) return undefined;
      lines.push(line);
    }
  }
  return lines;
}

function dimensionMembers(group: LineGroup): string {
  let out = '';
  for (let i = 0; i < group.dimensionKeys.length; i++) {
    out += `,${JSON.stringify(group.dimensionKeys[i])}:${JSON.stringify(group.dimensionValues[i])}`;
  }
  return out;
}

function definition(metric: GroupMetric): string {
  const resolution = metric.storageResolution === 1 ? ',"StorageResolution":1' : '';
  return `{"Name":${JSON.stringify(metric.name)},"Unit":${JSON.stringify(metric.unit)}${resolution}}`;
}

/** JSON's text of a finite number (`-0` as `0`). */
function number(value: number): string {
  return value === 0 ? '0' : String(value);
}
