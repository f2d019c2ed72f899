import type { SuffixStyle } from '../options';
import { periodOf, type Period } from '../period';

const iso = (t: number): string => new Date(t).toISOString();

/**
 * Walks instants from `from` (inclusive) to `to` (exclusive) in steps of `stepMs` and returns every
 * broken rotation guarantee, as readable text (at most `limit`):
 * 1. names never decrease; 2. a name never comes back once another one was used;
 * 3. every instant t has start <= t < end;
 * 4. consecutive instants with the same name share one period, and a new name starts exactly at
 *    the previous period's end;
 * 5. each period's `end` is the first instant with a greater name, and the first period's `start` the
 *    first instant with its name (checked at the millisecond either side).
 */
export function rotationViolations(
  from: number,
  to: number,
  stepMs: number,
  periodMs: number,
  style: SuffixStyle,
  utc: boolean,
  limit = 5,
): string[] {
  const problems: string[] = [];
  const at = (t: number): Period => periodOf(t, periodMs, style, utc);
  const used = new Set<string>();
  let previous: Period | undefined;
  for (let t = from; t < to && problems.length < limit; t += stepMs) {
    const period = at(t);
    const show = `${iso(t)} -> ${period.name} [${iso(period.start)}, ${iso(period.end)})`;
    if (!(period.start <= t && t < period.end)) problems.push(`outside its period: ${show}`);
    if (previous !== undefined) {
      if (period.name < previous.name) problems.push(`name decreased from ${previous.name}: ${show}`);
      if (period.name === previous.name) {
        if (period.start !== previous.start || period.end !== previous.end)
          problems.push(
            `same name, other period than [${iso(previous.start)}, ${iso(previous.end)}): ${show}`,
          );
      } else {
        if (used.has(period.name)) problems.push(`name came back: ${show}`);
        if (period.start !== previous.end)
          problems.push(`does not start at the previous end ${iso(previous.end)}: ${show}`);
      }
    }
    if (previous === undefined || period.name !== previous.name) {
      if (at(period.end - 1).name !== period.name) problems.push(`name changes before end: ${show}`);
      if (at(period.end).name <= period.name) problems.push(`end does not start a greater name: ${show}`);
    }
    if (previous === undefined) {
      // Later starts are checked through the previous period's end (guarantee 4).
      if (at(period.start).name !== period.name) problems.push(`start has another name: ${show}`);
      if (at(period.start - 1).name >= period.name) problems.push(`name started before start: ${show}`);
    }
    used.add(period.name);
    previous = period;
  }
  return problems;
}

/** Distinct periods met while walking, in order. */
export function periodsBetween(
  from: number,
  to: number,
  stepMs: number,
  periodMs: number,
  style: SuffixStyle,
  utc: boolean,
): Period[] {
  const periods: Period[] = [];
  for (let t = from; t < to; t += stepMs) {
    const period = periodOf(t, periodMs, style, utc);
    if (periods.length === 0 || periods[periods.length - 1].name !== period.name) periods.push(period);
  }
  return periods;
}
