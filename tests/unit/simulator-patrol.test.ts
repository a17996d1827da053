import { describe, expect, it } from 'vitest';
import { guardGpsPayload } from '../../server/mqtt/payloads';
import { insideRing, type LonLat } from '../../scripts/simulator/geometry';
import { Patrol, reportedHeading } from '../../scripts/simulator/patrol';

/** A deterministic generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const ring: LonLat[] = [
  [9.96, 53.54],
  [9.97, 53.54],
  [9.97, 53.545],
  [9.96, 53.545],
  [9.96, 53.54],
];

describe('simulated patrol', () => {
  it('reports a heading just west of north as 0, never 360', () => {
    expect(reportedHeading([9.96, 53.54], [9.9599999, 53.55])).toBe(0);
    expect(reportedHeading([9.96, 53.54], [9.97, 53.54])).toBeCloseTo(90, 0);
  });

  it('only ever reports fixes the ingest accepts, near the site', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const patrol = new Patrol(ring, seeded(seed));
      for (let step = 0; step < 500; step++) {
        const fix = patrol.advance(1);
        const parsed = guardGpsPayload.safeParse({ ...fix, ts: Date.now() });
        expect(parsed.success, JSON.stringify(fix)).toBe(true);
        expect(fix.heading).toBeLessThan(360);
      }
    }
  });

  it('walks inside the geofence (waypoints inside, noise aside)', () => {
    const patrol = new Patrol(ring, seeded(7));
    const inside = Array.from({ length: 200 }, () => patrol.advance(1)).filter((f) =>
      insideRing([f.lon, f.lat], ring),
    );
    expect(inside.length).toBeGreaterThan(150);
  });
});
