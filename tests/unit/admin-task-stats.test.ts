import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_MS, bucketOf, p95FromBuckets } from '../../server/metrics/task-stats';
import { parseWorker, workerName } from '../../server/admin/worker-names';

describe('task duration buckets', () => {
  it('puts a duration in the first bucket whose bound holds it', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(3)).toBe(2);
    expect(bucketOf(999_999)).toBe(DURATION_BUCKETS_MS.length);
  });

  it('reports the p95 as the bound of the bucket the 95th percentile falls in (an "at most")', () => {
    const counts = Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0);
    counts[bucketOf(4)] = 90;
    counts[bucketOf(80)] = 10;
    expect(p95FromBuckets(counts)).toBe(100);
  });

  it('has no p95 without samples', () => {
    expect(p95FromBuckets([])).toBeNull();
  });
});

describe('worker names', () => {
  it('carries host, pid and concurrency through the Redis client name', () => {
    const name = workerName(100, 'node-a.example', 4242);
    expect(parseWorker({ rawname: `wf:Y3JpdGljYWw=:w:${name}`, age: '12' })).toEqual({
      host: 'node-a.example',
      pid: 4242,
      concurrency: 100,
      ageSeconds: 12,
    });
  });

  it('shows an unnamed worker by its address', () => {
    expect(parseWorker({ rawname: 'wf:Y3JpdGljYWw=', addr: '10.0.0.5:5555' })).toMatchObject({
      host: '10.0.0.5:5555',
      pid: null,
    });
  });
});
