/**
 * What one process tells the web nodes about itself for the charts: its
 * cumulative counters and latency histogram (the web side turns consecutive
 * reports into rates and quantiles), its roles and the health of its parts.
 * Every role's process writes one, so a web node in a split deployment charts
 * the ingest and workers running elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { counterByLabel, counterTotal, histogramBuckets } from '../charts/metric-readings';
import type { Metrics } from './metrics';
import type { Role } from '../../contract/charts';

export interface ProcessReport {
  /** Unique per process run: a restarted process is a new one, so counters never run backwards. */
  id: string;
  host: string;
  pid: number;
  roles: Role[];
  /** Epoch ms on the reporting process. */
  at: number;
  /** Cumulative MQTT messages enqueued, by topic root. */
  processed: Record<string, number>;
  /** Cumulative MQTT messages refused, by reason (topic_not_allowed for the whitelist). */
  invalid: Record<string, number>;
  /** Cumulative enqueued-to-committed histogram: upper bound ('+Inf' last) -> count. */
  latency: Record<string, number>;
  /** The process's components (role.component) -> healthy. */
  health: Record<string, boolean>;
  /** p99 event-loop delay since the previous report, ms. */
  eventLoopLagMs: number;
  /**
   * Memory at report time, MB: V8's heap in use, the heap V8 holds from the
   * system (in use or not), and the memory held outside it (Buffers,
   * ArrayBuffers). Beside the process's RSS they tell a leak in JavaScript
   * from a heap V8 keeps growing and from native or allocator growth. Of the
   * held heap, `codeMb` is compiled code (code spaces): it grows while the
   * JIT still optimizes, unlike objects. Absent in reports written by an
   * older process.
   */
  memory?: { heapUsedMb: number; heapTotalMb: number; externalMb: number; codeMb?: number };
}

export interface ProcessReportSource {
  readonly id: string;
  /** Reads the process's metrics now. */
  read(): Promise<ProcessReport>;
  stop(): void;
}

const MB = 2 ** 20;

function memoryNow(): NonNullable<ProcessReport['memory']> {
  const { heapUsed, heapTotal, external } = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / MB) * 100) / 100;
  const code = getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_size, 0);
  return {
    heapUsedMb: mb(heapUsed),
    heapTotalMb: mb(heapTotal),
    externalMb: mb(external),
    codeMb: mb(code),
  };
}

/** Builds this process's reports; each read() covers the event-loop delay since the previous one. */
export function createProcessReportSource(options: {
  metrics: Metrics;
  roles: readonly Role[];
  health(): Record<string, boolean>;
  now?: () => number;
}): ProcessReportSource {
  const { metrics } = options;
  const now = options.now ?? Date.now;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  return {
    id,
    async read() {
      const [processed, invalid, rejectedTopic, latency] = await Promise.all([
        counterByLabel(metrics.mqttMessageProcessed, 'root'),
        counterByLabel(metrics.mqttInvalidPayload, 'reason'),
        counterTotal(metrics.mqttRejectedTopic),
        histogramBuckets(metrics.enqueuedToCommitted),
      ]);
      invalid.set('topic_not_allowed', rejectedTopic);
      const lag = loopDelay.percentile(99) / 1e6;
      loopDelay.reset();
      return {
        id,
        host: hostname(),
        pid: process.pid,
        roles: [...options.roles],
        at: now(),
        processed: Object.fromEntries(processed),
        invalid: Object.fromEntries(invalid),
        latency: Object.fromEntries(
          [...latency].map(([le, count]) => [Number.isFinite(le) ? String(le) : '+Inf', count]),
        ),
        health: options.health(),
        eventLoopLagMs: Number.isFinite(lag) ? lag : 0,
        memory: memoryNow(),
      };
    },
    stop: () => loopDelay.disable(),
  };
}
