/** Wires the chart sampler into a web node: queue readers and history, on the clients it is given. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ProcessReport } from '../metrics/process-report';
import type { ChartHistoryDto, ChartSampleDto, ProcessHealthDto } from '../../contract/charts';
import type { TaskQueues } from '../queues/task-queues';
import type { RedisClient } from '../redis';
import type pg from 'pg';
import { startChartSampler } from './chart-sampler';
import { createQueueStats } from './queue-stats';

export interface ChartsDeps {
  pool: pg.Pool;
  /** Fail-fast: a Redis outage must show as "down" on the chart, not hang the sampler. */
  redis: RedisClient;
  /** The web node's queue objects (the admin services own them). */
  queues: Pick<TaskQueues, 'queue'>;
  /** Every process's report (see server/metrics/process-reports). */
  readReports(): Promise<ProcessReport[]>;
  logger: Logger;
  /** Pushes a sample to every screen. */
  emit(sample: ChartSampleDto): void;
}

export interface Charts {
  /** The samples so far, for GET /api/charts (through the web context). */
  history(): ChartHistoryDto;
  /** Every process as the latest sample lists it, for the admin page. */
  processes(): ProcessHealthDto[];
  stop(): Promise<void>;
}

/** Starts sampling; stop() stops the sampler (the caller owns the clients). */
export function startCharts(
  config: Pick<Config, 'QUEUE_PREFIX' | 'CHART_SAMPLE_MS' | 'GUARD_OFFLINE_AFTER_MS'>,
  deps: ChartsDeps,
): Charts {
  const queueStats = createQueueStats({
    redis: deps.redis,
    prefix: config.QUEUE_PREFIX,
    queue: deps.queues.queue,
    intervalMs: config.CHART_SAMPLE_MS,
  });
  const sampler = startChartSampler({
    readReports: deps.readReports,
    queueStats,
    redis: deps.redis,
    pool: deps.pool,
    intervalMs: config.CHART_SAMPLE_MS,
    offlineAfterMs: config.GUARD_OFFLINE_AFTER_MS,
    onSample: deps.emit,
    logger: deps.logger,
  });
  return { history: sampler.history, processes: sampler.processes, stop: () => sampler.stop() };
}
