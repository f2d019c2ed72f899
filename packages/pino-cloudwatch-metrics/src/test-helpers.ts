import type { EmfDocument } from './emf-schema';

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
