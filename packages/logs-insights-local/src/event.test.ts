import { eventTimeOf, lookup } from './event';
import { eventOf } from './test-helpers';
import { formatValue } from './values';

describe('LogEvent fields', () => {
  const event = eventOf({
    '@timestamp': '2025-12-13T12:30:45.123Z',
    level: 'INFO',
    res: { statusCode: 200 },
    tags: ['a', { k: 'v' }],
    'a.b': 1,
    nothing: null,
    ok: true,
  });
  const get = (name: string) => formatValue(event.get(name));

  it('flattens nested keys with dots and arrays by index; a key with a dot is found too', () => {
    expect(get('res.statusCode')).toBe('200');
    expect(get('tags.0')).toBe('a');
    expect(get('tags.1.k')).toBe('v');
    expect(get('a.b')).toBe('1');
    expect(get('res')).toBeUndefined(); // an object is not a value, its leaves are
    expect(get('nothing')).toBeUndefined();
    expect(get('ok')).toBe('1');
  });

  it('gives a JSON key that starts with @ one more @; @timestamp is the event time', () => {
    expect(get('@@timestamp')).toBe('2025-12-13T12:30:45.123Z');
    expect(get('@timestamp')).toBe(formatValue(event.get('@timestamp')));
    expect(get('@logStream')).toBe('app.log.2025-12-13_12');
    expect(get('@log')).toBe('/logs');
    expect(get('@message')).toContain('"level":"INFO"');
  });

  it('a line that is not JSON has @message only', () => {
    const text = eventOf('plain text line');
    expect(text.get('@message')).toBe('plain text line');
    expect(text.get('level')).toBeUndefined();
  });

  it('fields set by commands shadow the line’s own', () => {
    const e = eventOf({ level: 'INFO' });
    e.set('level', 'X');
    expect(e.get('level')).toBe('X');
  });

  it('lookup walks objects and arrays', () => {
    expect(lookup({ a: [{ b: 2 }] }, 'a.0.b')).toBe(2);
    expect(lookup({ a: 1 }, 'a.b')).toBeUndefined();
  });
});

describe('eventTimeOf: the sidecar’s timestamp_format %Y-%m-%dT%H:%M:%S.%fZ', () => {
  it.each([
    ['{"@timestamp":"2025-12-13T12:30:45.123Z","level":"INFO"}', Date.UTC(2025, 11, 13, 12, 30, 45, 123)],
    ['{"level":"INFO","time":"2025-12-13T12:30:45.5Z"}', Date.UTC(2025, 11, 13, 12, 30, 45, 500)],
    ['{"t":"2025-12-13T12:30:45.123456789Z"}', Date.UTC(2025, 11, 13, 12, 30, 45, 123)],
    ['{"@timestamp":"2025-12-13T13:30:45.123+01:00"}', undefined], // an offset does not match the format
    ['no time here', undefined],
    ['{"t":"2025-13-01T00:00:00.000Z"}', undefined], // no month 13: the agent's parse fails, no time
    ['{"t":"2025-02-30T00:00:00.000Z"}', undefined],
    ['{"t":"2025-12-13T24:00:00.000Z"}', undefined],
  ])('%s', (line, expected) => {
    expect(eventTimeOf(line)).toBe(expected);
  });

  it('reads the lines of one second alike, whatever came before', () => {
    const at = (text: string) => eventTimeOf(`{"@timestamp":"${text}","level":"INFO"}`);
    const second = Date.UTC(2025, 11, 13, 12, 30, 45);
    expect(at('2025-12-13T12:30:45.001Z')).toBe(second + 1);
    expect(at('2025-12-13T12:30:45.999Z')).toBe(second + 999);
    expect(at('2025-12-13T12:30:45.5Z')).toBe(second + 500);
    expect(at('2025-12-13T12:30:45.123456Z')).toBe(second + 123);
    expect(at('2025-12-13T12:30:45Z')).toBe(second);
    expect(at('2025-12-13T12:30:46.000Z')).toBe(second + 1000);
    expect(eventTimeOf('{"@timestamp":"2025-12-13T12:30:45.00xZ"} 2025-12-13T12:31:00.000Z')).toBe(
      second + 15_000,
    );
    expect(eventTimeOf('{"@timestamp":"2025-12-13T12:30:4')).toBeUndefined();
  });
});
