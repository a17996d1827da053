/**
 * The dashboard charts' data: every few seconds, one sample of ingest rate by
 * topic root, queue depth and throughput, processing latency, rejections and
 * component health, kept for 15 minutes in a ring buffer so that a reload (or
 * a new screen) shows the history at once, and pushed live to screens.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { HealthReport } from '../http/health';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { ChartHistoryDto, ChartSampleDto } from '../realtime/events';
import { intervalQuantile, type BucketCounts } from './histogram-quantile';
import { counterByLabel, counterTotal, histogramBuckets, ratesPerSecond } from './metric-readings';
import type { QueueStats } from './queue-stats';
import { createRingBuffer } from './ring-buffer';

export const CHART_WINDOW_MS = 15 * 60_000;

export interface ChartSamplerOptions {
  metrics: Metrics;
  queueStats: QueueStats;
  /** For the Redis health probe (a fail-fast connection, so a dead Redis answers at once). */
  redis: Redis;
  pool: pg.Pool;
  intervalMs: number;
  /** Devices silent for this long count as offline. */
  offlineAfterMs: number;
  health(): HealthReport;
  onSample(sample: ChartSampleDto): void;
  logger: Logger;
  now?: () => number;
}

export interface ChartSampler {
  history(): ChartHistoryDto;
  stop(): Promise<void>;
}

interface Readings {
  at: number;
  processed: Map<string, number>;
  invalid: Map<string, number>;
  latency: BucketCounts;
}

const PROBE_TIMEOUT_MS = 2000;

/** Starts sampling at once (the first sample lands one interval later). */
export function startChartSampler(options: ChartSamplerOptions): ChartSampler {
  const { metrics, logger, intervalMs } = options;
  const now = options.now ?? Date.now;
  const buffer = createRingBuffer<ChartSampleDto>(Math.ceil(CHART_WINDOW_MS / intervalMs));
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const read = async (): Promise<Readings> => {
    const [processed, invalid, rejectedTopic, latency] = await Promise.all([
      counterByLabel(metrics.mqttMessageProcessed, 'root'),
      counterByLabel(metrics.mqttInvalidPayload, 'reason'),
      counterTotal(metrics.mqttRejectedTopic),
      histogramBuckets(metrics.enqueuedToCommitted),
    ]);
    invalid.set('topic_not_allowed', rejectedTopic);
    return { at: now(), processed, invalid, latency };
  };

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

  const sampleOnce = async (previous: Readings): Promise<Readings> => {
    const current = await read();
    const seconds = Math.max(1, current.at - previous.at) / 1000;
    const [queues, redisOk, offline, workers] = await Promise.all([
      probe('queues', () => options.queueStats.sample(current.at - previous.at), {}),
      probe('redis', async () => (await options.redis.ping()) === 'PONG', false),
      probe(
        'postgres',
        async () => {
          const { rows } = await options.pool.query<{ offline: number }>(
            `SELECT count(*)::int AS offline FROM devices
             WHERE last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $1)`,
            [options.offlineAfterMs / 1000],
          );
          return rows[0]?.offline ?? 0;
        },
        null,
      ),
      probe('workers', () => options.queueStats.workerCount(), 0),
    ]);
    const components = Object.entries(options.health().components);
    const mqtt = components.filter(([name]) => name.endsWith('.mqtt'));
    const lag = loopDelay.percentile(99) / 1e6;
    loopDelay.reset();
    const toMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
    const sample: ChartSampleDto = {
      t: current.at,
      ingestPerSec: ratesPerSecond(previous.processed, current.processed, seconds),
      queues,
      latencyP50Ms: toMs(intervalQuantile(previous.latency, current.latency, 0.5)),
      latencyP95Ms: toMs(intervalQuantile(previous.latency, current.latency, 0.95)),
      rejectedPerSec: ratesPerSecond(previous.invalid, current.invalid, seconds),
      health: {
        mqtt: mqtt.length === 0 ? null : mqtt.every(([, ok]) => ok),
        redis: redisOk,
        postgres: offline !== null,
        workers: workers > 0,
        eventLoopLagMs: Number.isFinite(lag) ? lag : 0,
      },
      devicesOffline: offline ?? 0,
    };
    buffer.push(sample);
    options.onSample(sample);
    return current;
  };

  const schedule = (previous: Readings) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sampleOnce(previous).then(schedule, (error: Error) => {
        logger.warn({ err: error.message }, 'chart sample failed');
        schedule(previous);
      });
    }, intervalMs);
  };
  running = read().then(schedule, (error: Error) => {
    logger.warn({ err: error.message }, 'chart sampler could not start');
  });

  return {
    history: () => ({ intervalMs, samples: buffer.toArray() }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      loopDelay.disable();
      await options.queueStats.close();
    },
  };
}
