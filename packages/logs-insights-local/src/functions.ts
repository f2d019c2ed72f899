import net from 'node:net';
import { ceilTime, floorTime, periodOf } from './period';
import { Instant, type Value, formatValue, toMillis, toNumber, toText } from './values';

/** A scalar function: its evaluated arguments → its value. `bin` is evaluated by the caller. */
type ScalarFunction = (args: readonly Value[]) => Value;

const numeric =
  (fn: (n: number) => number): ScalarFunction =>
  (args) => {
    const n = toNumber(args[0]);
    return n === undefined ? undefined : fn(n);
  };

const text =
  (fn: (s: string, args: readonly Value[]) => Value): ScalarFunction =>
  (args) => {
    const s = toText(args[0]);
    return s === undefined ? undefined : fn(s, args);
  };

function trimmer(side: 'left' | 'right' | 'both'): ScalarFunction {
  return text((s, args) => {
    const chars = args[1] === undefined ? undefined : (toText(args[1]) ?? '');
    const strip = (c: string) => (chars === undefined ? /\s/.test(c) : chars.includes(c));
    let start = 0;
    let end = s.length;
    if (side !== 'right') while (start < end && strip(s[start])) start++;
    if (side !== 'left') while (end > start && strip(s[end - 1])) end--;
    return s.slice(start, end);
  });
}

function period(value: Value) {
  const textValue = typeof value === 'string' ? value : formatValue(value);
  return periodOf(textValue ?? '');
}

function inSubnet(version: 4 | 6 | undefined): ScalarFunction {
  return (args) => {
    const ip = toText(args[0]);
    const subnet = toText(args[1]);
    if (ip === undefined || subnet === undefined) return undefined;
    const ipVersion = net.isIP(ip);
    const [prefix, bits] = subnet.split('/');
    const prefixVersion = net.isIP(prefix);
    if (ipVersion === 0 || prefixVersion === 0 || ipVersion !== prefixVersion) return false;
    if (version !== undefined && ipVersion !== version) return false;
    const list = new net.BlockList();
    list.addSubnet(
      prefix,
      bits === undefined ? (ipVersion === 4 ? 32 : 128) : Number(bits),
      ipVersion === 4 ? 'ipv4' : 'ipv6',
    );
    return list.check(ip, ipVersion === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The scalar functions (names in lower case), after the service's function reference. A missing
 * argument gives no value, except where a function is about presence (`ispresent`, `isempty`,
 * `isblank`, `coalesce`).
 */
export const SCALARS: Readonly<Record<string, ScalarFunction>> = Object.freeze({
  ispresent: (args) => args[0] !== undefined,
  coalesce: (args) => args.find((arg) => arg !== undefined),
  isempty: (args) => args[0] === undefined || toText(args[0]) === '',
  isblank: (args) => args[0] === undefined || (toText(args[0]) ?? '').trim() === '',
  concat: (args) => args.map((arg) => toText(arg) ?? '').join(''),
  ltrim: trimmer('left'),
  rtrim: trimmer('right'),
  trim: trimmer('both'),
  strlen: text((s) => [...s].length),
  toupper: text((s) => s.toUpperCase()),
  tolower: text((s) => s.toLowerCase()),
  substr: text((s, args) => {
    const chars = [...s];
    const start = toNumber(args[1]) ?? 0;
    const length = args[2] === undefined ? undefined : toNumber(args[2]);
    return chars.slice(start, length === undefined ? undefined : start + length).join('');
  }),
  replace: text((s, args) => s.split(toText(args[1]) ?? '').join(toText(args[2]) ?? '')),
  strcontains: text((s, args) => (s.includes(toText(args[1]) ?? '') ? 1 : 0)),
  abs: numeric(Math.abs),
  ceil: numeric(Math.ceil),
  floor: numeric(Math.floor),
  greatest: (args) => extreme(args, 1),
  least: (args) => extreme(args, -1),
  log: numeric(Math.log),
  sqrt: numeric(Math.sqrt),
  datefloor: (args) => {
    const ms = toMillis(args[0]);
    return ms === undefined ? undefined : new Instant(floorTime(ms, period(args[1])));
  },
  dateceil: (args) => {
    const ms = toMillis(args[0]);
    return ms === undefined ? undefined : new Instant(ceilTime(ms, period(args[1])));
  },
  frommillis: (args) => {
    const ms = toNumber(args[0]);
    return ms === undefined ? undefined : new Instant(ms);
  },
  tomillis: (args) => toMillis(args[0]),
  isvalidip: text((s) => net.isIP(s) !== 0),
  isvalidipv4: text((s) => net.isIPv4(s)),
  isvalidipv6: text((s) => net.isIPv6(s)),
  isipinsubnet: inSubnet(undefined),
  isipv4insubnet: inSubnet(4),
  isipv6insubnet: inSubnet(6),
});

function extreme(args: readonly Value[], sign: 1 | -1): Value {
  let best: number | undefined;
  for (const arg of args) {
    const n = toNumber(arg);
    if (n !== undefined && (best === undefined || (n - best) * sign > 0)) best = n;
  }
  return best;
}
