/**
 * Quantiles over an interval from two readings of a cumulative Prometheus
 * histogram, the way PromQL's histogram_quantile does it.
 */
import { histogramQuantile } from '../metrics/quantile';

/** Cumulative count per upper bound (le), as prom-client reports a histogram. */
export type BucketCounts = Map<number, number>;

/** The q-quantile (0..1) of the observations made between `before` and `after`, or null if none. */
export function intervalQuantile(
  before: BucketCounts,
  after: BucketCounts,
  q: number,
): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((le) => Math.max(0, (after.get(le) ?? 0) - (before.get(le) ?? 0)));
  const buckets = bounds.map((le, i) => ({
    le,
    count: Math.max(0, cumulative[i]! - (i === 0 ? 0 : cumulative[i - 1]!)),
  }));
  return histogramQuantile(buckets, q);
}
