/**
 * Quantiles over an interval from two readings of a cumulative Prometheus
 * histogram, the way PromQL's histogram_quantile does it: linear interpolation
 * inside the bucket the rank falls in.
 */

/** Cumulative count per upper bound (le), as prom-client reports a histogram. */
export type BucketCounts = Map<number, number>;

/** The q-quantile (0..1) of the observations made between `before` and `after`, or null if none. */
export function intervalQuantile(
  before: BucketCounts,
  after: BucketCounts,
  q: number,
): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const deltas = bounds.map((le) => Math.max(0, (after.get(le) ?? 0) - (before.get(le) ?? 0)));
  const total = deltas[deltas.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i += 1) {
    if (deltas[i]! >= rank) {
      const upper = bounds[i]!;
      // Past the last finite bound there is nothing to interpolate to: report that bound.
      if (!Number.isFinite(upper)) return bounds[i - 1] ?? null;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const below = i === 0 ? 0 : deltas[i - 1]!;
      const inBucket = deltas[i]! - below;
      return inBucket <= 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
    }
  }
  return bounds[bounds.length - 1] ?? null;
}
