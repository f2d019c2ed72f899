import type { Expr } from './ast';
import { evaluate } from './evaluate';
import { parseQuery } from './parser';
import { eventOf } from './test-helpers';
import { formatValue } from './values';

function value(expr: string, record: Record<string, unknown> = {}, time?: number): string | undefined {
  const [fields] = parseQuery(`fields ${expr} as v`).commands;
  if (fields.kind !== 'fields') throw new Error('not fields');
  return formatValue(evaluate(fields.items[0].expr as Expr, eventOf(record, time)));
}

const RECORD = {
  s: '  Hello World  ',
  t: 'hello',
  e: '',
  b: '   ',
  n: -2.5,
  ip: '10.0.1.7',
  ip6: '2001:db8::1',
  ms: 1765629045123,
};

describe('functions', () => {
  it.each([
    // general
    ['ispresent(s)', '1'],
    ['ispresent(nope)', '0'],
    ['coalesce(nope, e, t)', ''], // the first present value, even empty
    ['coalesce(nope, t)', 'hello'],
    // string
    ['isempty(e)', '1'],
    ['isempty(nope)', '1'],
    ['isempty(b)', '0'],
    ['isblank(b)', '1'],
    ['isblank(nope)', '1'],
    ['isblank(t)', '0'],
    ['concat(t, "-", n)', 'hello--2.5'],
    ['ltrim(s)', 'Hello World  '],
    ['rtrim(s)', '  Hello World'],
    ['trim(s)', 'Hello World'],
    ['trim("xxhixx", "x")', 'hi'],
    ['strlen(t)', '5'],
    ['toupper(t)', 'HELLO'],
    ['tolower("ABC")', 'abc'],
    ['substr(t, 1)', 'ello'],
    ['substr(t, 1, 3)', 'ell'],
    ['replace(t, "l", "L")', 'heLLo'],
    ['strcontains(t, "ell")', '1'],
    ['strcontains(t, "xyz")', '0'],
    ['toupper(nope)', undefined],
    // numeric
    ['abs(n)', '2.5'],
    ['ceil(n)', '-2'],
    ['floor(n)', '-3'],
    ['greatest(1, n, 7, 3)', '7'],
    ['least(1, n, 7)', '-2.5'],
    ['log(1)', '0'],
    ['sqrt(16)', '4'],
    // datetime
    ['fromMillis(ms)', '2025-12-13 12:30:45.123'],
    ['toMillis(fromMillis(ms))', '1765629045123'],
    ['toMillis(@timestamp)', '1765629045123'],
    ['datefloor(@timestamp, 1h)', '2025-12-13 12:00:00.000'],
    ['datefloor(@timestamp, 5m)', '2025-12-13 12:30:00.000'],
    ['dateceil(@timestamp, 1h)', '2025-12-13 13:00:00.000'],
    ['datefloor(@timestamp, 1d)', '2025-12-13 00:00:00.000'],
    ['datefloor(@timestamp, 1mo)', '2025-12-01 00:00:00.000'],
    ['datefloor(@timestamp, 1y)', '2025-01-01 00:00:00.000'],
    ['bin(30s)', '2025-12-13 12:30:30.000'],
    ['bin(1h)', '2025-12-13 12:00:00.000'],
    // IP addresses
    ['isValidIp(ip)', '1'],
    ['isValidIp("10.0.0.300")', '0'],
    ['isValidIpV4(ip)', '1'],
    ['isValidIpV6(ip)', '0'],
    ['isValidIpV6(ip6)', '1'],
    ['isIpInSubnet(ip, "10.0.0.0/16")', '1'],
    ['isIpInSubnet(ip, "10.1.0.0/16")', '0'],
    ['isIpv4InSubnet(ip, "10.0.1.0/24")', '1'],
    ['isIpv6InSubnet(ip6, "2001:db8::/32")', '1'],
    ['isIpv6InSubnet(ip, "10.0.0.0/8")', '0'],
  ])('%s → %s', (expr, expected) => {
    expect(value(expr, RECORD, 1765629045123)).toBe(expected);
  });
});
