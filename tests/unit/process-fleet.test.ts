/** Merging every process's report into one chart sample (split deployments). */
import { describe, expect, it } from 'vitest';
import { createProcessFleet } from '../../server/charts/process-fleet';
import type { ProcessReport } from '../../server/metrics/process-report';

const INTERVAL = 5000;

function report(id: string, at: number, extra: Partial<ProcessReport> = {}): ProcessReport {
  return {
    id,
    host: 'node-1',
    pid: 100,
    roles: ['ingest'],
    at,
    processed: {},
    invalid: {},
    latency: {},
    health: {},
    eventLoopLagMs: 1,
    ...extra,
  };
}

/** A cumulative histogram with `n` observations in each listed bucket. */
function histogram(counts: Record<string, number>): Record<string, number> {
  const bounds = ['0.01', '0.1', '1', '+Inf'];
  let total = 0;
  return Object.fromEntries(
    bounds.map((le) => {
      total += counts[le] ?? 0;
      return [le, total];
    }),
  );
}

function fleetAt(clock: { now: number }) {
  return createProcessFleet({
    staleAfterMs: 2 * INTERVAL,
    forgetAfterMs: 60_000,
    now: () => clock.now,
  });
}

describe('process fleet', () => {
  it('sums each process’s own rate per topic root and per rejection reason', () => {
    const clock = { now: 0 };
    const fleet = fleetAt(clock);
    fleet.update([
      report('a', 0, { processed: { guard: 100 }, invalid: { schema: 0 } }),
      report('b', 1000, { processed: { guard: 0, alert: 0 } }),
    ]);
    clock.now = 5000;
    const sample = fleet.update([
      // a: 500 more guard messages over 5 s; b: over 4 s of its own clock.
      report('a', 5000, { processed: { guard: 600 }, invalid: { schema: 10 } }),
      report('b', 5000, { processed: { guard: 400, alert: 8 } }),
    ]);
    expect(sample.ingestPerSec).toEqual({ guard: 100 + 100, alert: 2 });
    expect(sample.rejectedPerSec).toEqual({ schema: 2 });
  });

  it('takes quantiles of the merged histograms, not an average of per-process percentiles', () => {
    const clock = { now: 0 };
    const fleet = fleetAt(clock);
    const worker = (id: string, at: number, latency: Record<string, number>) =>
      report(id, at, { roles: ['worker'], latency });
    fleet.update([worker('fast', 0, histogram({})), worker('slow', 0, histogram({}))]);
    clock.now = 5000;
    const sample = fleet.update([
      // 90 fast jobs under 10 ms, 10 slow ones between 100 ms and 1 s.
      worker('fast', 5000, histogram({ '0.01': 90 })),
      worker('slow', 5000, histogram({ '1': 10 })),
    ]);
    // p50 lies among the fast jobs; the per-process p50s averaged would say ~0.28 s.
    expect(sample.latencyP50).toBeLessThan(0.01);
    // p95: rank 95 of 100, the 5th of 10 slow jobs in the 0.1-1 s bucket.
    expect(sample.latencyP95).toBeCloseTo(0.1 + 0.9 * 0.5);
  });

  it('holds a process’s last interval between reports, then drops it when it goes stale', () => {
    const clock = { now: 0 };
    const fleet = fleetAt(clock);
    fleet.update([report('a', 0, { processed: { guard: 0 } })]);
    clock.now = 5000;
    fleet.update([report('a', 5000, { processed: { guard: 50 } })]);
    clock.now = 6000;
    // The same report again (sampled between two reports): the latest interval still holds.
    expect(fleet.update([report('a', 5000, { processed: { guard: 50 } })]).ingestPerSec).toEqual({
      guard: 10,
    });
    clock.now = 5000 + 2 * INTERVAL + 1;
    // Still in Redis (not expired yet) but silent past two intervals: it no longer counts.
    expect(fleet.update([report('a', 5000, { processed: { guard: 50 } })]).ingestPerSec).toEqual(
      {},
    );
  });

  it('marks a process whose report expired as gone, and forgets it later', () => {
    const clock = { now: 0 };
    const fleet = fleetAt(clock);
    const ingest = report('ingest-1', 0, { health: { 'ingest.mqtt': true } });
    const web = report('web-1', 0, { roles: ['web'], health: { 'web.events': true } });
    expect(fleet.update([ingest, web]).processes.map((p) => [p.id, p.state])).toEqual([
      ['ingest-1', 'live'],
      ['web-1', 'live'],
    ]);
    clock.now = 15_000;
    const after = fleet.update([{ ...web, at: 15_000 }]);
    expect(after.processes.map((p) => [p.id, p.state])).toEqual([
      ['ingest-1', 'gone'],
      ['web-1', 'live'],
    ]);
    // No live ingest process: MQTT health is unknown, not "down" and not "ok".
    expect(after.mqtt).toBeNull();
    clock.now = 15_000 + 60_001;
    expect(fleet.update([{ ...web, at: 75_001 }]).processes.map((p) => p.id)).toEqual(['web-1']);
  });

  it('reports MQTT down when any live ingest process has lost its broker link', () => {
    const fleet = fleetAt({ now: 0 });
    const sample = fleet.update([
      report('i1', 0, { health: { 'ingest.mqtt': true, 'ingest.redis': true } }),
      report('i2', 0, { health: { 'ingest.mqtt': false, 'ingest.redis': true } }),
    ]);
    expect(sample.mqtt).toBe(false);
    expect(sample.processes.find((p) => p.id === 'i2')?.down).toEqual(['ingest.mqtt']);
  });

  it('counts a restarted process (new id) from its first report, never as a negative rate', () => {
    const clock = { now: 0 };
    const fleet = fleetAt(clock);
    fleet.update([report('old', 0, { processed: { guard: 1000 } })]);
    clock.now = 5000;
    const sample = fleet.update([report('new', 5000, { processed: { guard: 3 } })]);
    expect(sample.ingestPerSec).toEqual({});
    clock.now = 10_000;
    expect(
      fleet.update([report('new', 10_000, { processed: { guard: 53 } })]).ingestPerSec,
    ).toEqual({ guard: 10 });
  });
});
