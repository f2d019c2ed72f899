import { checkEmf } from './emf-schema';

/** A document the cases below spoil one member at a time. */
interface Directive {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics: Record<string, unknown>[];
  [member: string]: unknown;
}
interface Doc {
  _aws?: { Timestamp?: unknown; CloudWatchMetrics: Directive[] };
  [member: string]: unknown;
}

/** The specification's own example, with today's members. */
const example = (): Doc => ({
  _aws: {
    Timestamp: 1574109732004,
    CloudWatchMetrics: [
      {
        Namespace: 'lambda-function-metrics',
        Dimensions: [['functionVersion']],
        Metrics: [{ Name: 'time', Unit: 'Milliseconds', StorageResolution: 60 }],
      },
    ],
  },
  functionVersion: '$LATEST',
  time: 100,
  requestId: '989ffbf8-9ace-4817-a57c-e4dd734019ee',
});

describe('checkEmf (the EMF specification as a schema plus its reference rules)', () => {
  it("accepts the specification's example, extra root members and value arrays", () => {
    expect(checkEmf(example())).toEqual([]);
    expect(checkEmf({ ...example(), time: [1, 2, 3] })).toEqual([]);
    expect(checkEmf({ ...example(), '@timestamp': '2025-01-01T00:00:00.000Z', level: 'INFO' })).toEqual([]);
  });

  it.each([
    ['no _aws', (d: Doc) => delete d._aws, /no _aws/],
    ['no Timestamp', (d: Doc) => delete d._aws!.Timestamp, /no Timestamp/],
    [
      'a Timestamp in seconds with a fraction',
      (d: Doc) => (d._aws!.Timestamp = 1574109732.004),
      /not an integer/,
    ],
    ['an empty Namespace', (d: Doc) => (d._aws!.CloudWatchMetrics[0]!.Namespace = ''), /shorter than 1/],
    [
      'a unit CloudWatch does not know',
      (d: Doc) => (d._aws!.CloudWatchMetrics[0]!.Metrics[0]!.Unit = 'ms'),
      /not one of/,
    ],
    [
      'StorageResolution 5',
      (d: Doc) => (d._aws!.CloudWatchMetrics[0]!.Metrics[0]!.StorageResolution = 5),
      /not one of/,
    ],
    [
      '31 dimension keys',
      (d: Doc) =>
        (d._aws!.CloudWatchMetrics[0]!.Dimensions = [Array.from({ length: 31 }, (_, i) => `k${i}`)]),
      /more than 30/,
    ],
    [
      '101 metrics',
      (d: Doc) =>
        (d._aws!.CloudWatchMetrics[0]!.Metrics = Array.from({ length: 101 }, (_, i) => ({ Name: `m${i}` }))),
      /more than 100/,
    ],
    [
      'a missing dimension member',
      (d: Doc) => delete d.functionVersion,
      /dimension functionVersion is not a string/,
    ],
    [
      'a number as dimension value',
      (d: Doc) => (d.functionVersion = 7),
      /dimension functionVersion is not a string/,
    ],
    ['a missing metric member', (d: Doc) => delete d.time, /metric time is not a number/],
    ['a string metric value', (d: Doc) => (d.time = '100'), /metric time is not a number/],
    ['101 values', (d: Doc) => (d.time = Array.from({ length: 101 }, () => 1)), /101 values/],
    [
      'an unknown directive member',
      (d: Doc) => (d._aws!.CloudWatchMetrics[0]!.Extra = 1),
      /unexpected member Extra/,
    ],
  ])('refuses %s', (_what, spoil, message) => {
    const document = example();
    spoil(document);
    expect(checkEmf(document).join('\n')).toMatch(message);
  });
});
