import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../server/backoff';

const base = { baseMs: 100, maxMs: 1000 };

describe('backoffDelay', () => {
  it('reaches base * 2^(attempt-1) at the top of the jitter, up to the cap', () => {
    const top = { ...base, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6, 30].map((a) => backoffDelay(a, top))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('waits exactly the base at the bottom of the jitter, whatever the attempt', () => {
    const bottom = { ...base, random: () => 0 };
    expect([1, 2, 5, 20].map((a) => backoffDelay(a, bottom))).toEqual([100, 100, 100, 100]);
  });

  it('waits halfway between base and ceiling at the middle of the jitter, the cap included', () => {
    const middle = { ...base, random: () => 0.5 };
    // Ceilings 100, 200, 400, 800, then the 1000 cap: 100 + (ceiling - 100) / 2.
    expect([1, 2, 3, 4, 5, 6, 30].map((a) => backoffDelay(a, middle))).toEqual([
      100, 150, 250, 450, 550, 550, 550,
    ]);
  });

  it('maps the jitter linearly onto [base, ceiling]', () => {
    // Attempt 4: ceiling 800, so 100 + r * 700.
    expect([0.1, 0.5, 0.9].map((r) => backoffDelay(4, { ...base, random: () => r }))).toEqual([
      170, 450, 730,
    ]);
  });

  it('stays inside [base, min(max, base * 2^(attempt-1))] for any jitter', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(base.maxMs, base.baseMs * 2 ** (attempt - 1));
      for (let i = 0; i <= 100; i += 1) {
        const delay = backoffDelay(attempt, { ...base, random: () => i / 100 });
        expect(delay).toBeGreaterThanOrEqual(base.baseMs);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('treats attempt 0 or less as the first attempt', () => {
    expect(backoffDelay(0, { ...base, random: () => 1 })).toBe(100);
    expect(backoffDelay(-3, { ...base, random: () => 1 })).toBe(100);
  });
});
