import { describe, expect, it } from 'vitest';
import { summarize } from '../../scripts/bench/stats';
import { median } from '../../scripts/soak/analysis';
import { histogramQuantile, quantile, quantileOfSorted } from '../../server/metrics/quantile';

describe('sample quantiles (nearest rank)', () => {
  it('picks the value at rank ceil(q * n)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileOfSorted(values, 0.5)).toBe(50);
    expect(quantileOfSorted(values, 0.95)).toBe(95);
    expect(quantileOfSorted(values, 0.99)).toBe(99);
    expect(quantileOfSorted(values, 1)).toBe(100);
    expect(quantileOfSorted(values, 0)).toBe(1);
  });

  it('sorts unsorted values numerically, not as strings', () => {
    expect(quantile([10, 9, 100, 2], 0.5)).toBe(9);
    expect(quantile([10, 9, 100, 2], 1)).toBe(100);
  });

  it('has no quantile without values', () => {
    expect(quantileOfSorted([], 0.5)).toBeNull();
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([], 0.5, { interpolate: true })).toBeNull();
  });
});

describe('sample quantiles (interpolated)', () => {
  it('takes the mean of the middle two as the median of an even count', () => {
    expect(quantile([4, 1, 3, 2], 0.5, { interpolate: true })).toBe(2.5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('interpolates linearly between the closest ranks and stays within the values', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.9, { interpolate: true })).toBeCloseTo(46);
    expect(quantile([10, 20], 0, { interpolate: true })).toBe(10);
    expect(quantile([10, 20], 1, { interpolate: true })).toBe(20);
    expect(quantile([7], 0.3, { interpolate: true })).toBe(7);
  });
});

describe('histogram quantiles', () => {
  const buckets = [
    { le: 10, count: 0 },
    { le: 20, count: 90 },
    { le: 40, count: 10 },
    { le: Infinity, count: 0 },
  ];

  it('interpolates inside the bucket the rank falls in, as PromQL does', () => {
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(10 + (10 * 50) / 90);
    expect(histogramQuantile(buckets, 0.95)).toBeCloseTo(30);
  });

  it('reports the bucket bound when asked not to interpolate', () => {
    expect(histogramQuantile(buckets, 0.5, { interpolate: false })).toBe(20);
    expect(histogramQuantile(buckets, 0.95, { interpolate: false })).toBe(40);
  });

  it('reports the last finite bound for a rank in the overflow bucket', () => {
    const slow = [
      { le: 10, count: 1 },
      { le: Infinity, count: 9 },
    ];
    expect(histogramQuantile(slow, 0.95)).toBe(10);
  });

  it('has no quantile without observations', () => {
    expect(histogramQuantile([{ le: 1, count: 0 }], 0.5)).toBeNull();
    expect(histogramQuantile([], 0.5)).toBeNull();
  });
});

describe('benchmark latency summaries', () => {
  it('reports nearest-rank p50/p95/p99 and the max, rounded to 0.1 ms', () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i + 0.04);
    expect(summarize(values)).toEqual({
      count: 200,
      p50: 100,
      p95: 190,
      p99: 198,
      max: 200,
    });
    expect(summarize([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });
});
