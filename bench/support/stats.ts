/** Figures the benches print. */

/**
 * A percentile by the nearest-rank method: the smallest sample with at least p% of the samples at or below it.
 * @param xs - the samples (not modified)
 * @param p - 0–100
 * @returns NaN for no samples
 */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
