/**
 * The dashboard charts' data: every few seconds, one sample of ingest rate by
 * topic root, queue depth and throughput, processing latency, rejections and
 * component health, kept for 15 minutes in a ring buffer so that a reload (or
 * a new screen) shows the history at once, and pushed live to screens. Rates,
 * latency and process health come from every process's report (see
 * process-fleet), so a web node of a split deployment charts them all.
 */
import { CHART_WINDOW_MS } from '../../contract/thresholds';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RedisClient } from '../redis';
import type pg from 'pg';
import type { Logger } from '../logger';
import type { ProcessReport } from '../metrics/process-report';
import type { ChartHistoryDto, ChartSampleDto, ProcessHealthDto } from '../../contract/charts';
import { createProcessFleet } from './process-fleet';
import type { QueueStats } from './queue-stats';
import { createRingBuffer } from './ring-buffer';
import { DEVICE_LAST_SEEN, DEVICE_SEEN_JOINS } from '../devices/device-seen';

/** A gone process stays listed this long, then is forgotten. */
const GONE_LISTED_MS = 5 * 60_000;

export interface ChartSamplerOptions {
  /** The latest report of every live process of the deployment, this one included. */
  readReports(): Promise<ProcessReport[]>;
  queueStats: QueueStats;
  /** For the Redis health probe (a fail-fast connection, so a dead Redis answers at once). */
  redis: RedisClient;
  pool: pg.Pool;
  intervalMs: number;
  /** Devices silent for this long count as offline. */
  offlineAfterMs: number;
  onSample(sample: ChartSampleDto): void;
  logger: Logger;
  now?: () => number;
}

export interface ChartSampler {
  history(): ChartHistoryDto;
  /** Every process of the deployment as the latest sample lists it (the admin page shows them). */
  processes(): ProcessHealthDto[];
  stop(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2000;

/** Starts sampling at once (the first sample lands one interval later). */
export function startChartSampler(options: ChartSamplerOptions): ChartSampler {
  const { logger, intervalMs } = options;
  const now = options.now ?? Date.now;
  const buffer = createRingBuffer<ChartSampleDto>(Math.ceil(CHART_WINDOW_MS / intervalMs));
  // Reports come every interval: two missed ones and the process's rates stop counting.
  const fleet = createProcessFleet({
    staleAfterMs: 2 * intervalMs,
    forgetAfterMs: GONE_LISTED_MS,
    now,
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latestProcesses: ProcessHealthDto[] = [];
  let running: Promise<void> = Promise.resolve();

  const probe = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      logger.debug({ probe: what, err: (error as Error).message }, 'chart probe failed');
      return fallback;
    } finally {
      clearTimeout(timeout);
    }
  };

  const sampleOnce = async (): Promise<void> => {
    const at = now();
    const [reports, queues, redisOk, offline, workers] = await Promise.all([
      probe('process reports', () => options.readReports(), []),
      probe('queues', () => options.queueStats.sample(), {}),
      probe('redis', async () => (await options.redis.ping()) === 'PONG', false),
      probe(
        'postgres',
        async () => {
          const { rows } = await options.pool.query<{ offline: number }>(
            `SELECT count(*)::int AS offline FROM devices d ${DEVICE_SEEN_JOINS}
             WHERE ${DEVICE_LAST_SEEN} IS NULL
                OR ${DEVICE_LAST_SEEN} < now() - make_interval(secs => $1)`,
            [options.offlineAfterMs / 1000],
          );
          return rows[0]?.offline ?? 0;
        },
        null,
      ),
      probe('workers', () => options.queueStats.workerCount(), 0),
    ]);
    const merged = fleet.update(reports);
    const lag = loopDelay.percentile(99) / 1e6;
    loopDelay.reset();
    const toMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
    const sample: ChartSampleDto = {
      t: at,
      ingestPerSec: merged.ingestPerSec,
      queues,
      latencyP50Ms: toMs(merged.latencyP50),
      latencyP95Ms: toMs(merged.latencyP95),
      rejectedPerSec: merged.rejectedPerSec,
      health: {
        mqtt: merged.mqtt,
        redis: redisOk,
        postgres: offline !== null,
        workers: workers > 0,
        eventLoopLagMs: Number.isFinite(lag) ? lag : 0,
      },
      devicesOffline: offline ?? 0,
      processes: merged.processes,
    };
    buffer.push(sample);
    latestProcesses = sample.processes;
    options.onSample(sample);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sampleOnce().then(schedule, (error: Error) => {
        logger.warn({ err: error.message }, 'chart sample failed');
        schedule();
      });
    }, intervalMs);
  };
  schedule();

  return {
    history: () => ({ intervalMs, samples: buffer.toArray() }),
    processes: () => latestProcesses,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      loopDelay.disable();
    },
  };
}
