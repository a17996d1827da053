/** Reading prom-client metrics of this process as plain numbers for the chart sampler. */
import type { Counter, Histogram } from 'prom-client';
import type { BucketCounts } from './histogram-quantile';

/** A counter's current value per value of one label ('' when the label is absent). */
export async function counterByLabel(
  counter: Counter<string>,
  label: string,
): Promise<Map<string, number>> {
  const { values } = await counter.get();
  const byLabel = new Map<string, number>();
  for (const { labels, value } of values) {
    const key = String(labels[label] ?? '');
    byLabel.set(key, (byLabel.get(key) ?? 0) + value);
  }
  return byLabel;
}

/** A counter's total over every label. */
export async function counterTotal(counter: Counter<string>): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

/** A histogram's cumulative bucket counts, keyed by upper bound (Infinity for +Inf). */
export async function histogramBuckets(histogram: Histogram<string>): Promise<BucketCounts> {
  const { values } = await histogram.get();
  const buckets: BucketCounts = new Map();
  for (const entry of values) {
    if (!entry.metricName?.endsWith('_bucket')) continue;
    const le = entry.labels.le;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + entry.value);
  }
  return buckets;
}
