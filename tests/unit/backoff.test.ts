import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../server/backoff';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const top = { baseMs: 100, maxMs: 1000, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, top))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('never waits less than the base', () => {
    expect(backoffDelay(5, { baseMs: 100, maxMs: 1000, random: () => 0 })).toBe(100);
  });

  it('spreads retries with jitter', () => {
    const delays = new Set(
      [0.1, 0.5, 0.9].map((r) => backoffDelay(4, { baseMs: 100, maxMs: 5000, random: () => r })),
    );
    expect(delays.size).toBe(3);
  });
});
