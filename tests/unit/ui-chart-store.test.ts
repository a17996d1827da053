import { describe, expect, it } from 'vitest';
import { CHART_WINDOW_MS } from '../../contract/thresholds';
import { createChartStore } from '../../components/charts/chart-store';
import type { ChartSampleDto } from '../../contract/charts';

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

describe('the browser chart store', () => {
  it('merges the fetched history with live samples and trims to the chart window', () => {
    const store = createChartStore();
    store.applySample(sample(CHART_WINDOW_MS + 10_000));
    store.applyHistory({ intervalMs: 5000, samples: [sample(0), sample(CHART_WINDOW_MS)] });
    expect(store.getSamples().map((s) => s.t)).toEqual([CHART_WINDOW_MS, CHART_WINDOW_MS + 10_000]);
  });
});
