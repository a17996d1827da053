import { describe, expect, it } from 'vitest';
import { createGuardTrails, TRAIL_WINDOW_MS } from '../../components/realtime/guard-trails';

const START = Date.parse('2026-11-28T10:00:00Z');

function fix(guardId: string, atMs: number, lon: number) {
  return {
    guardId,
    siteId: null,
    lat: 53.5,
    lon,
    fixAt: atMs,
    accuracyM: 5,
    speedMps: 1,
    headingDeg: 0,
  };
}

describe('guard trails', () => {
  it('keeps the last ten minutes in order, oldest first, after the ring wrapped many times', () => {
    const trails = createGuardTrails();
    const steps = 20 * 60; // fixes 5 s apart for 100 minutes
    for (let i = 0; i <= steps; i += 1) trails.add(fix('g', START + i * 5000, i));
    const now = START + steps * 5000;
    const trail = trails.get('g', now);
    expect(trail).toHaveLength(TRAIL_WINDOW_MS / 5000 + 1);
    expect(trail[0]).toEqual([now - TRAIL_WINDOW_MS, 53.5, steps - TRAIL_WINDOW_MS / 5000]);
    expect(trail[trail.length - 1]).toEqual([now, 53.5, steps]);
    const times = trail.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('adds one point per five seconds however often fixes come, and ignores older fixes', () => {
    const trails = createGuardTrails();
    for (let s = 0; s < 60; s += 1) trails.add(fix('g', START + s * 1000, s));
    trails.add(fix('g', START - 60_000, -1));
    expect(trails.get('g', START + 60_000).map(([, , lon]) => lon)).toEqual([
      0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55,
    ]);
  });

  it('leaves out points older than the window at read time, and forgets guards not retained', () => {
    const trails = createGuardTrails();
    trails.add(fix('a', START, 1));
    trails.add(fix('b', START, 2));
    expect(trails.get('a', START + TRAIL_WINDOW_MS + 1)).toEqual([]);
    trails.retain(new Set(['a']));
    expect(trails.get('b', START)).toEqual([]);
    expect(trails.get('a', START)).toEqual([[START, 53.5, 1]]);
  });
});
