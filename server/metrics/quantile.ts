/**
 * The project's quantiles, one definition each for the two kinds of input:
 * raw samples (benchmarks, the browser report, the soak's medians) and bucketed counts (the admin
 * page's task durations, the charts' latency from prom-client histograms).
 * Pure functions: no imports, so scripts, benches and the server share them.
 */

/**
 * The q-quantile (0..1) of ascending values, or null for none. By nearest rank
 * (a value that occurred: what a latency report should quote); with
 * `interpolate: true` linearly between the two closest ranks (the usual
 * median of an even count, numpy's and R's default).
 */
export function quantileOfSorted(
  sorted: ArrayLike<number>,
  q: number,
  { interpolate = false }: { interpolate?: boolean } = {},
): number | null {
  if (sorted.length === 0) return null;
  if (interpolate) {
    const h = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
    const lower = sorted[Math.floor(h)]!;
    return lower + (sorted[Math.ceil(h)]! - lower) * (h - Math.floor(h));
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** The q-quantile (0..1) of unsorted values (see quantileOfSorted); null for none. */
export function quantile(
  values: readonly number[],
  q: number,
  options?: { interpolate?: boolean },
): number | null {
  return quantileOfSorted(Float64Array.from(values).sort(), q, options);
}

/** One bucket of a histogram: its upper bound (Infinity for the overflow bucket) and how many fell in it. */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile (0..1) of bucketed observations, or null if there are none.
 * `buckets` hold per-bucket (not cumulative) counts in ascending `le`.
 * Interpolated linearly inside the bucket the rank falls in, the way PromQL's
 * histogram_quantile does it; with `interpolate: false` the bucket's upper
 * bound (an honest "at most"). Past the last finite bound there is nothing to
 * interpolate to: that bound is reported.
 */
export function histogramQuantile(
  buckets: readonly Bucket[],
  q: number,
  { interpolate = true }: { interpolate?: boolean } = {},
): number | null {
  const total = buckets.reduce((sum, b) => sum + Math.max(0, b.count), 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i += 1) {
    const { le, count } = buckets[i]!;
    const seen = below + Math.max(0, count);
    if (seen >= rank && count > 0) {
      if (!Number.isFinite(le)) return buckets[i - 1]?.le ?? null;
      if (!interpolate) return le;
      const lower = i === 0 ? 0 : buckets[i - 1]!.le;
      return lower + ((le - lower) * (rank - below)) / count;
    }
    below = seen;
  }
  return buckets.filter((b) => Number.isFinite(b.le)).at(-1)?.le ?? null;
}
