/** The server side of the charts: the history ring and latency quantiles between two readings. */
import { describe, expect, it } from 'vitest';
import { intervalQuantile } from '../../server/charts/histogram-quantile';
import { createRingBuffer } from '../../server/charts/ring-buffer';

describe('the chart history ring', () => {
  it('keeps only the newest items, oldest first', () => {
    const ring = createRingBuffer<number>(3);
    [1, 2, 3, 4, 5].forEach((i) => ring.push(i));
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });
});

describe('latency quantiles over an interval', () => {
  const before = new Map([
    [0.01, 10],
    [0.1, 40],
    [Infinity, 40],
  ]);
  const after = new Map([
    [0.01, 60],
    [0.1, 140],
    [Infinity, 140],
  ]);

  it('interpolates inside the bucket, counting only what was observed between the readings', () => {
    // 50 observations up to 10 ms, 50 between 10 and 100 ms.
    expect(intervalQuantile(before, after, 0.5)).toBeCloseTo(0.01);
    expect(intervalQuantile(before, after, 0.95)).toBeCloseTo(0.091);
  });

  it('has no quantile for an interval without observations', () => {
    expect(intervalQuantile(after, after, 0.5)).toBeNull();
  });
});
