import { prng } from 'pino-cloudwatch-test-support';
import { evaluate } from './evaluate';
import { parseQuery } from './parser';
import { linePrefilter } from './prefilter';
import { eventOf } from './test-helpers';
import { isTrue } from './values';

const prefilterOf = (query: string) => linePrefilter(parseQuery(query).commands);

describe('linePrefilter', () => {
  it('looks for the text that =, in, like "…" and ispresent() need', () => {
    const errors = prefilterOf('filter level in ["ERROR", "FATAL"] | stats count(*)')!;
    expect(errors('{"level":"ERROR"}')).toBe(true);
    expect(errors('{"level":"INFO"}')).toBe(false);
    const both = prefilterOf('filter message = "request completed" and ispresent(res.statusCode)')!;
    expect(both('{"message":"request completed","res":{"statusCode":200}}')).toBe(true);
    expect(both('{"message":"request completed"}')).toBe(false);
    expect(both('{"message":"GET /","res":{"statusCode":200}}')).toBe(false);
    const either = prefilterOf('filter level = "WARN" or message like "quota"')!;
    expect(either('{"level":"INFO","message":"quota"}')).toBe(true);
    expect(either('{"level":"INFO","message":"x"}')).toBe(false);
  });

  it('gives nothing to look for where the text may differ: numbers, not, system fields, after fields', () => {
    for (const query of [
      'filter status = "200"',
      'filter x > 1',
      'filter level != "ERROR"',
      'filter level not in ["ERROR"]',
      'filter @logStream = "app"',
      'filter level = "ERROR" or x > 1',
      'fields toupper(level) as level | filter level = "ERROR"',
      'filter ispresent(tags.0)',
      'stats count(*)',
    ]) {
      expect([query, prefilterOf(query)]).toEqual([query, undefined]);
    }
  });

  it('a line with a backslash is always parsed (JSON may escape any character)', () => {
    expect(prefilterOf('filter level = "ERROR"')!('{"level":"\\u0045RROR"}')).toBe(true);
  });

  it('never drops a line the filter keeps (seeded random lines and filters)', () => {
    const next = prng(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const words = ['ERROR', 'INFO', 'request completed', 'GET /', 'quota', 'Error', ''];
    const filters = [
      'level = "ERROR"',
      'level in ["ERROR", "INFO"]',
      'message like "quota"',
      'message = "request completed" and ispresent(res.statusCode)',
      'ispresent(error.type) or level = "INFO"',
      '"ERROR" = level',
    ];
    for (let i = 0; i < 2000; i++) {
      const record: Record<string, unknown> = { level: pick(words), message: pick(words) };
      if (next() < 0.5) record.res = { statusCode: pick([200, 500]) };
      if (next() < 0.3) record.error = { type: pick(words) };
      const line = JSON.stringify(record);
      const filter = pick(filters);
      const query = parseQuery(`filter ${filter}`);
      const command = query.commands[0];
      if (command.kind !== 'filter') throw new Error('not a filter');
      const kept = isTrue(evaluate(command.expr, eventOf(line)));
      if (kept) expect([filter, line, linePrefilter(query.commands)!(line)]).toEqual([filter, line, true]);
    }
  });
});
