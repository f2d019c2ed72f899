import { serializeGroup, type LineGroup } from './emf';
import { checkEmf, metricValues, type EmfDocument } from './emf-schema';

const group = (metrics: LineGroup['metrics'], extra: Partial<LineGroup> = {}): LineGroup => ({
  timestamp: 1_765_629_000_000,
  namespace: 'cw_demo',
  dimensionKeys: ['Service', 'Route'],
  dimensionValues: ['cw_demo', 'GET /'],
  dimensionSets: [['Service', 'Route'], ['Service']],
  metrics,
  ...extra,
});

const parse = (lines: string[]) => lines.map((line) => JSON.parse(line) as EmfDocument);

/** Every value of `name` over the lines, in order. */
const valuesOf = (docs: EmfDocument[], name: string): number[] =>
  docs.flatMap((doc) => metricValues(doc, name));

describe('serializeGroup', () => {
  it('writes one EMF line: _aws with the timestamp, the dimensions, then the metrics', () => {
    const { lines, unfit } = serializeGroup(
      group([
        { name: 'Requests', unit: 'Count', storageResolution: 60, values: [3] },
        { name: 'Latency', unit: 'Milliseconds', storageResolution: 1, values: [1.5, 2, 0] },
      ]),
      262_000,
    );
    expect(unfit).toBe(0);
    expect(lines).toEqual([
      '{"_aws":{"Timestamp":1765629000000,"CloudWatchMetrics":[{"Namespace":"cw_demo","Dimensions":[["Service","Route"],["Service"]],' +
        '"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds","StorageResolution":1}]}]},' +
        '"Service":"cw_demo","Route":"GET /","Requests":3,"Latency":[1.5,2,0]}',
    ]);
    expect(checkEmf(JSON.parse(lines[0]!))).toEqual([]);
  });

  it('splits a metric beyond 100 values into more lines with the same timestamp and dimensions', () => {
    const latency = Array.from({ length: 250 }, (_, i) => i / 4);
    const { lines } = serializeGroup(
      group([
        { name: 'Requests', unit: 'Count', storageResolution: 60, values: [250] },
        { name: 'Latency', unit: 'Milliseconds', storageResolution: 60, values: latency },
      ]),
      262_000,
    );
    const docs = parse(lines);
    expect(docs).toHaveLength(3);
    expect(docs.map((d) => metricValues(d, 'Latency').length)).toEqual([100, 100, 50]);
    expect(valuesOf(docs, 'Latency')).toEqual(latency);
    // The counter's one value is written once, in the first line only.
    expect(valuesOf(docs, 'Requests')).toEqual([250]);
    expect(docs[1]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'Latency', Unit: 'Milliseconds' }]);
    for (const doc of docs) {
      expect(checkEmf(doc)).toEqual([]);
      expect(doc._aws.Timestamp).toBe(1_765_629_000_000);
      expect(doc.Route).toBe('GET /');
    }
  });

  it('puts at most 100 metrics in a line', () => {
    const metrics = Array.from({ length: 230 }, (_, i) => ({
      name: `m${i}`,
      unit: 'Count' as const,
      storageResolution: 60 as const,
      values: [i],
    }));
    const docs = parse(serializeGroup(group(metrics), 262_000).lines);
    expect(docs.map((d) => d._aws.CloudWatchMetrics[0]!.Metrics.length)).toEqual([100, 100, 30]);
    for (const doc of docs) expect(checkEmf(doc)).toEqual([]);
    expect(metrics.every((m) => valuesOf(docs, m.name)[0] === m.values[0])).toBe(true);
  });

  it('keeps every line under the byte budget by putting fewer values, then fewer metrics, in each', () => {
    const metrics = Array.from({ length: 20 }, (_, i) => ({
      name: `Metric${i}`,
      unit: 'Milliseconds' as const,
      storageResolution: 60 as const,
      values: Array.from({ length: 100 }, (_, j) => 1_000_000.123456 + i + j),
    }));
    const budget = 4096;
    const { lines, unfit } = serializeGroup(group(metrics), budget);
    expect(unfit).toBe(0);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(budget);
    const docs = parse(lines);
    for (const doc of docs) expect(checkEmf(doc)).toEqual([]);
    for (const m of metrics) expect(valuesOf(docs, m.name)).toEqual(m.values);
  });

  it('reports the values that cannot fit even alone', () => {
    const result = serializeGroup(
      group([{ name: 'Latency', unit: 'Milliseconds', storageResolution: 60, values: [1, 2] }], {
        dimensionValues: ['cw_demo', 'x'.repeat(1000)],
      }),
      600,
    );
    expect(result).toEqual({ lines: [], unfit: 2 });
  });
});
