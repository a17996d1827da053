/**
 * The soak's stated bounds, in one place, and the verdict of a run against
 * them: which series must stay flat after the warm-up, which must not drift,
 * and which are only reported (shared with other users of the services, or
 * growing by design until retention drops partitions).
 */
import type { LatencySummary } from '../bench/stats';
import { judge, type Bound, type Point, type SeriesVerdict } from './analysis';
import type { ResourceSample } from './sampler';
import type { SosOutcome } from './traffic';

/** "Memory flat within a few MB per hour after warm-up." */
export const MEMORY_FLAT_MB_PER_HOUR = 5;
/** A p99 may rise over the run by at most this much, or this fraction of its median if larger. */
export const LATENCY_DRIFT: Bound = { kind: 'no-drift', minRise: 100, maxRiseFraction: 0.5 };
export const LAG_DRIFT: Bound = { kind: 'no-drift', minRise: 50, maxRiseFraction: 0.5 };
/** The ingest backlog may grow by at most this fraction of the hour's traffic per hour. */
export const BACKLOG_GROWTH_FRACTION = 0.01;
const FLAT: Bound = { kind: 'flat', maxPerHour: MEMORY_FLAT_MB_PER_HOUR };
const REPORT: Bound = { kind: 'report' };

/** Processes whose memory the soak bounds; the others are reported only (see boundFor). */
const BOUNDED_RSS = new Set(['web', 'ingest', 'worker', 'worker-critical', 'mosquitto']);

export interface SoakSample extends ResourceSample {
  /** Seconds since traffic started. */
  t: number;
  at: string;
  /** JS heap after a forced GC per page, MB. */
  heapMb: Record<string, number>;
  /** Publish-to-screen latency of the guard fixes each page received in this window. */
  latency: Record<string, LatencySummary & { dropped: number }>;
  /** Messages the simulator published and the broker acknowledged, cumulative. */
  published: number;
  acknowledged: number;
}

function rssBound(name: string): Bound {
  // PostgreSQL's RSS grows as its shared buffers are touched, Redis's and Chromium's hold
  // other users' and the browser's caches, the soak's own holds its samples: reported only.
  return BOUNDED_RSS.has(name) ? FLAT : REPORT;
}

function series(samples: SoakSample[], read: (s: SoakSample) => number | undefined): Point[] {
  return samples.flatMap((s) => {
    const value = read(s);
    return value === undefined || value === null || !Number.isFinite(value)
      ? []
      : [{ t: s.t, value }];
  });
}

const keysOf = (samples: SoakSample[], pick: (s: SoakSample) => Record<string, unknown>) => [
  ...new Set(samples.flatMap((s) => Object.keys(pick(s)))),
];

/** Every series of the run with its verdict. */
export function judgeRun(samples: SoakSample[], warmupS: number, rate: number): SeriesVerdict[] {
  const backlogPerHour = BACKLOG_GROWTH_FRACTION * rate * 3600;
  const verdicts: SeriesVerdict[] = [];
  for (const name of keysOf(samples, (s) => s.rssMb))
    verdicts.push(
      judge(
        `RSS ${name}`,
        'MB',
        series(samples, (s) => s.rssMb[name]),
        rssBound(name),
        warmupS,
      ),
    );
  // A role's heap in use swings with its garbage between collections, so its memory is reported
  // beside its RSS (to tell a JavaScript leak from V8's growth and native growth), not bounded.
  const roleMemory: [string, (s: SoakSample) => Record<string, number> | undefined][] = [
    ['JS heap used', (s) => s.roleHeapMb],
    ['JS heap held by V8', (s) => s.roleHeapTotalMb],
    ['of it compiled code', (s) => s.roleCodeMb],
    ['Memory outside the JS heap', (s) => s.roleExternalMb],
  ];
  for (const name of keysOf(samples, (s) => s.roleHeapMb ?? {}))
    for (const [label, read] of roleMemory)
      verdicts.push(
        judge(
          `${label}, ${name}`,
          'MB',
          series(samples, (s) => read(s)?.[name]),
          REPORT,
          warmupS,
        ),
      );
  for (const name of keysOf(samples, (s) => s.heapMb))
    verdicts.push(
      judge(
        `JS heap after GC, ${name} page`,
        'MB',
        series(samples, (s) => s.heapMb[name]),
        FLAT,
        warmupS,
      ),
    );
  verdicts.push(
    judge(
      'Ingest backlog (acknowledged by the broker, not yet taken by the ingest)',
      'messages',
      series(samples, (s) => s.acknowledged - s.ingested),
      { kind: 'flat', maxPerHour: backlogPerHour },
      warmupS,
    ),
    judge(
      'Load average (1 min) of the shared machine',
      '',
      series(samples, (s) => s.loadAvg1m),
      REPORT,
      warmupS,
    ),
    judge(
      "Redis memory of the soak's keys",
      'MB',
      series(samples, (s) => s.redisSoakMb),
      FLAT,
      warmupS,
    ),
    judge(
      'Redis used memory (whole shared server)',
      'MB',
      series(samples, (s) => s.redisUsedMb),
      REPORT,
      warmupS,
    ),
    judge(
      'Database size',
      'MB',
      series(samples, (s) => s.databaseMb),
      REPORT,
      warmupS,
    ),
  );
  for (const name of keysOf(samples, (s) => s.eventLoopLagMs))
    verdicts.push(
      judge(
        `Event-loop lag p99, ${name}`,
        'ms',
        series(samples, (s) => s.eventLoopLagMs[name]),
        LAG_DRIFT,
        warmupS,
      ),
    );
  for (const name of keysOf(samples, (s) => s.latency))
    if (samples.some((s) => (s.latency[name]?.count ?? 0) > 0))
      verdicts.push(
        judge(
          `Publish-to-screen p99, ${name} page`,
          'ms',
          series(samples, (s) => s.latency[name]?.p99 ?? undefined),
          LATENCY_DRIFT,
          warmupS,
        ),
      );
  return verdicts;
}

/** Whether every SOS was stored, acknowledged and resolved. */
export function sosVerdict(outcomes: SosOutcome[]) {
  const completed = outcomes.filter((o) => o.resolved).length;
  const stored = outcomes.map((o) => o.storedMs).filter((ms): ms is number => ms !== null);
  return {
    raised: outcomes.length,
    completed,
    failures: outcomes
      .filter((o) => !o.resolved)
      .map((o) => ({ at: new Date(o.raisedAt).toISOString(), error: o.error ?? 'not resolved' })),
    publishToStoredMsMax: stored.length ? Math.max(...stored) : null,
    pass: outcomes.length > 0 && completed === outcomes.length,
  };
}

/** A run passes when it ran its course, every SOS completed, no bound failed and no page error. */
export function overallPass(run: {
  stoppedEarly: string | null;
  sos: { pass: boolean };
  verdicts: SeriesVerdict[];
  pageErrors: string[];
}): boolean {
  return (
    !run.stoppedEarly &&
    run.sos.pass &&
    run.verdicts.every((v) => v.pass !== false) &&
    run.pageErrors.length === 0
  );
}
