/**
 * Merges the reports of every process of a deployment into one chart sample:
 * each process's own interval (two consecutive reports) gives its rates and
 * its latency histogram delta; rates are summed and histograms merged bucket
 * by bucket before a quantile is taken (averaging per-process percentiles
 * would be wrong). A process whose reports stop is marked gone and stops
 * contributing, so its last values never freeze on a chart.
 */
import type { ProcessReport } from '../metrics/process-report';
import type { ProcessHealthDto } from '../../contract/charts';
import { intervalQuantile, type BucketCounts } from './histogram-quantile';

export interface FleetSample {
  ingestPerSec: Record<string, number>;
  rejectedPerSec: Record<string, number>;
  /** Enqueued-to-committed quantiles over every process's interval, seconds; null with no jobs. */
  latencyP50: number | null;
  latencyP95: number | null;
  /** Every live ingest process's MQTT link is up; null when no ingest process reports. */
  mqtt: boolean | null;
  processes: ProcessHealthDto[];
}

export interface ProcessFleet {
  /** Takes the reports read now (every live process's latest) and merges them. */
  update(reports: readonly ProcessReport[]): FleetSample;
}

interface Tracked {
  previous: ProcessReport | null;
  latest: ProcessReport;
  /** When (this node's clock) the latest report first arrived. */
  changedAt: number;
  goneAt: number | null;
}

export interface ProcessFleetOptions {
  /** A process whose report has not changed for this long no longer contributes rates. */
  staleAfterMs: number;
  /** How long a gone process stays listed (as gone) before it is forgotten. */
  forgetAfterMs: number;
  now?: () => number;
}

/** Upper bound of a reported bucket ('+Inf' is the last). */
const bound = (le: string) => (le === '+Inf' ? Infinity : Number(le));

function addDeltas(
  into: Map<string, number>,
  before: Record<string, number>,
  after: Record<string, number>,
  scale: number,
): void {
  for (const [key, value] of Object.entries(after)) {
    // A counter never decreases within one process run: a lower value is a reset, not a negative rate.
    const delta = Math.max(0, value - (before[key] ?? 0));
    into.set(key, (into.get(key) ?? 0) + delta * scale);
  }
}

/** Tracks the processes seen across samples. */
export function createProcessFleet(options: ProcessFleetOptions): ProcessFleet {
  const now = options.now ?? Date.now;
  const tracked = new Map<string, Tracked>();

  return {
    update(reports) {
      const at = now();
      const seen = new Set<string>();
      for (const report of reports) {
        seen.add(report.id);
        const known = tracked.get(report.id);
        if (!known) {
          tracked.set(report.id, { previous: null, latest: report, changedAt: at, goneAt: null });
        } else if (report.at > known.latest.at) {
          tracked.set(report.id, {
            previous: known.latest,
            latest: report,
            changedAt: at,
            goneAt: null,
          });
        }
      }
      const ingest = new Map<string, number>();
      const rejected = new Map<string, number>();
      const latency = new Map<string, number>();
      const processes: ProcessHealthDto[] = [];
      let mqtt: boolean | null = null;
      for (const [id, process] of tracked) {
        if (!seen.has(id)) {
          process.goneAt ??= at;
          if (at - process.goneAt > options.forgetAfterMs) {
            tracked.delete(id);
            continue;
          }
        }
        const { latest, previous } = process;
        const live = process.goneAt === null;
        const fresh = live && at - process.changedAt <= options.staleAfterMs;
        if (fresh && previous) {
          const perSecond = 1000 / Math.max(1, latest.at - previous.at);
          addDeltas(ingest, previous.processed, latest.processed, perSecond);
          addDeltas(rejected, previous.invalid, latest.invalid, perSecond);
          addDeltas(latency, previous.latency, latest.latency, 1);
        }
        const components = Object.entries(latest.health);
        if (live && latest.roles.includes('ingest')) {
          const links = components.filter(([name]) => name.endsWith('.mqtt'));
          mqtt = (mqtt ?? true) && links.every(([, ok]) => ok);
        }
        processes.push({
          id,
          host: latest.host,
          pid: latest.pid,
          roles: latest.roles,
          state: live ? 'live' : 'gone',
          down: components.filter(([, ok]) => !ok).map(([name]) => name),
          eventLoopLagMs: latest.eventLoopLagMs,
          lastReportAt: process.changedAt,
        });
      }
      const buckets: BucketCounts = new Map([...latency].map(([le, n]) => [bound(le), n]));
      const none: BucketCounts = new Map();
      return {
        ingestPerSec: Object.fromEntries(ingest),
        rejectedPerSec: Object.fromEntries(rejected),
        latencyP50: intervalQuantile(none, buckets, 0.5),
        latencyP95: intervalQuantile(none, buckets, 0.95),
        mqtt,
        processes: processes.sort(
          (a, b) => a.roles.join().localeCompare(b.roles.join()) || a.id.localeCompare(b.id),
        ),
      };
    },
  };
}
