import type { EmfDocument } from './emf-schema';

/** Seeded pseudo-random numbers in [0, 1) (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: number): {
  now: () => number;
  set: (t: number) => void;
  advance: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    set: (value) => {
      t = value;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A destination that keeps the lines, parsed. */
export function memoryDestination(): {
  write: (line: string) => void;
  lines: string[];
  documents: () => EmfDocument[];
} {
  const lines: string[] = [];
  return {
    write: (line) => {
      lines.push(line);
    },
    lines,
    documents: () => lines.map((line) => JSON.parse(line) as EmfDocument),
  };
}
