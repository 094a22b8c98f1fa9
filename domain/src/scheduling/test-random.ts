/** Seeded pseudo-random numbers for property tests: the same seed gives the same sequence on every run and machine. */

/**
 * mulberry32, a small 32-bit PRNG; plenty for generating test cases, not for anything secret.
 * @param seed - any integer
 * @returns a function giving floats in [0, 1)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An integer in [min, max] from a generator.
 * @param rand - a generator from mulberry32
 * @param min - lowest value, inclusive
 * @param max - highest value, inclusive
 */
export function randomInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}
