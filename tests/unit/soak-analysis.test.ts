/** The soak's verdicts: trends after the warm-up, robust to spikes, judged against the bounds. */
import { describe, expect, it } from 'vitest';
import { judge, theilSen } from '../../scripts/soak/analysis';
import { guardsForRate } from '../../scripts/soak/traffic';

const hourly = (mbPerHour: number, base = 100) =>
  Array.from({ length: 121 }, (_, i) => ({ t: i * 30, value: base + (mbPerHour * i * 30) / 3600 }));

describe('soak analysis', () => {
  it('finds the slope of a straight line', () => {
    expect(theilSen(hourly(12))! * 3600).toBeCloseTo(12, 6);
  });

  it('keeps the slope of a day of samples, taken on evenly spaced ones', () => {
    const day = Array.from({ length: 2880 }, (_, i) => ({ t: i * 30, value: 50 + i * 30 * 0.001 }));
    expect(theilSen(day)! * 3600).toBeCloseTo(3.6, 6);
  });

  it('is not moved by a few garbage-collection spikes', () => {
    const points = hourly(0).map((p, i) => (i % 20 === 7 ? { ...p, value: p.value + 40 } : p));
    expect(theilSen(points)).toBe(0);
  });

  it('passes flat memory and fails memory that grows faster than the bound', () => {
    const bound = { kind: 'flat', maxPerHour: 5 } as const;
    expect(judge('rss', 'MB', hourly(2), bound, 0).pass).toBe(true);
    expect(judge('rss', 'MB', hourly(20), bound, 0).pass).toBe(false);
  });

  it('ignores the warm-up', () => {
    // Steep during the first 40 minutes, flat after.
    const points = hourly(0).map((p) =>
      p.t < 2400 ? { ...p, value: p.t / 10 } : { ...p, value: 240 },
    );
    const verdict = judge('rss', 'MB', points, { kind: 'flat', maxPerHour: 5 }, 2400);
    expect(verdict.slopePerHour).toBe(0);
    expect(verdict.pass).toBe(true);
    expect(judge('rss', 'MB', points, { kind: 'flat', maxPerHour: 5 }, 0).pass).toBe(false);
  });

  it('fails a latency whose trend rises by more than the larger of the floor and the fraction', () => {
    const bound = { kind: 'no-drift', minRise: 100, maxRiseFraction: 0.5 } as const;
    const steady = hourly(50, 400); // rises 50 ms over the hour: within 200 (half of ~425)
    const drifting = hourly(400, 400); // rises 400 ms: over half its median
    expect(judge('p99', 'ms', steady, bound, 0)).toMatchObject({ pass: true, limit: 212.5 });
    expect(judge('p99', 'ms', drifting, bound, 0).pass).toBe(false);
  });

  it('reports without judging a series with no bound, and fails a bounded one without samples', () => {
    expect(judge('db', 'MB', hourly(100), { kind: 'report' }, 0).pass).toBeNull();
    expect(judge('rss', 'MB', [], { kind: 'flat', maxPerHour: 5 }, 0).pass).toBe(false);
  });

  it('sizes the guards so the whole mix makes the requested rate', () => {
    // 2 sites: 4 sensors every 10 s and a gateway every 15 s each, garbage 0.2/s.
    const guards = guardsForRate(500, 2);
    const total = guards * (1 + 1 / 30 + 1 / 600) + 2 * (0.4 + 1 / 15) + 0.2;
    expect(Math.abs(total - 500)).toBeLessThan(1.1);
  });
});
