import { describe, expect, it } from 'vitest';
import { createChartStore, CHART_WINDOW_MS } from '../../components/charts/chart-store';
import { positionAt, lastIndexAtOrBefore } from '../../components/replay/replay-math';
import { createGuardTrails, TRAIL_WINDOW_MS } from '../../components/realtime/guard-trails';
import { intervalQuantile } from '../../server/charts/histogram-quantile';
import { createRingBuffer } from '../../server/charts/ring-buffer';
import type { ChartSampleDto } from '../../server/realtime/events';

function sample(t: number): ChartSampleDto {
  return {
    t,
    ingestPerSec: {},
    queues: {},
    latencyP50Ms: null,
    latencyP95Ms: null,
    rejectedPerSec: {},
    health: { mqtt: true, redis: true, postgres: true, workers: true, eventLoopLagMs: 1 },
    devicesOffline: 0,
    processes: [],
  };
}

describe('chart history', () => {
  it('keeps only the newest items in the server ring buffer', () => {
    const ring = createRingBuffer<number>(3);
    [1, 2, 3, 4, 5].forEach((i) => ring.push(i));
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });

  it('merges the fetched history with live samples and trims to 15 minutes in the browser', () => {
    const store = createChartStore();
    store.applySample(sample(CHART_WINDOW_MS + 10_000));
    store.applyHistory({ intervalMs: 5000, samples: [sample(0), sample(CHART_WINDOW_MS)] });
    expect(store.getSamples().map((s) => s.t)).toEqual([CHART_WINDOW_MS, CHART_WINDOW_MS + 10_000]);
  });

  it('interpolates quantiles over an interval of a cumulative histogram', () => {
    const before = new Map([
      [0.01, 0],
      [0.1, 0],
      [Infinity, 0],
    ]);
    const after = new Map([
      [0.01, 50],
      [0.1, 100],
      [Infinity, 100],
    ]);
    expect(intervalQuantile(before, after, 0.5)).toBeCloseTo(0.01);
    expect(intervalQuantile(before, after, 0.95)).toBeCloseTo(0.091);
    expect(intervalQuantile(after, after, 0.5)).toBeNull();
  });
});

describe('trails and replay', () => {
  it('keeps a guard trail bounded to the last ten minutes', () => {
    const trails = createGuardTrails();
    const start = Date.parse('2026-11-28T10:00:00Z');
    for (let s = 0; s < 3600; s += 1) {
      trails.add({
        guardId: 'g',
        siteId: null,
        lat: 1,
        lon: s / 1e5,
        fixAt: new Date(start + s * 1000).toISOString(),
        accuracyM: 5,
        speedMps: 1,
        headingDeg: 0,
      });
    }
    const trail = trails.get('g', start + 3600_000);
    expect(trail.length).toBeLessThanOrEqual(TRAIL_WINDOW_MS / 5000 + 1);
    expect(trail[0]![0]).toBeGreaterThanOrEqual(start + 3600_000 - TRAIL_WINDOW_MS);
  });

  it('finds where a guard was at a moment of its path', () => {
    const points: [number, number, number][] = [
      [0, 0, 0],
      [10, 10, 20],
    ];
    expect(lastIndexAtOrBefore(points, -1)).toBe(-1);
    expect(positionAt(points, 5)).toEqual([5, 10]);
    expect(positionAt(points, 99)).toEqual([10, 20]);
  });
});
