/**
 * mulberry32: the one seeded generator of the toolkit's tests, for tests that must replay (the seed
 * is in the test name or in an environment variable). Returns floats in [0, 1); the same seed gives
 * the same sequence, on every machine.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
