/** Wires the chart sampler into a web node: its Redis connection, queue readers and history. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ProcessReport } from '../metrics/process-report';
import type { ChartSampleDto } from '../../contract/charts';
import { createRedis } from '../redis';
import type pg from 'pg';
import { startChartSampler } from './chart-sampler';
import { provideChartHistory } from './chart-history';
import { createQueueStats } from './queue-stats';

export interface ChartsDeps {
  pool: pg.Pool;
  /** Every process's report (see server/metrics/process-reports). */
  readReports(): Promise<ProcessReport[]>;
  logger: Logger;
  /** Pushes a sample to every screen. */
  emit(sample: ChartSampleDto): void;
}

/** Starts sampling; stop() closes the sampler and its connections. */
export function startCharts(config: Config, deps: ChartsDeps): { stop(): Promise<void> } {
  // Fail-fast: a Redis outage must show as "down" on the chart, not hang the sampler.
  const redis = createRedis(config, { name: 'chart-sampler', logger: deps.logger, failFast: true });
  const queueStats = createQueueStats({
    redis,
    prefix: config.QUEUE_PREFIX,
    intervalMs: config.CHART_SAMPLE_MS,
    logger: deps.logger,
  });
  const sampler = startChartSampler({
    readReports: deps.readReports,
    queueStats,
    redis,
    pool: deps.pool,
    intervalMs: config.CHART_SAMPLE_MS,
    offlineAfterMs: config.GUARD_OFFLINE_AFTER_MS,
    onSample: deps.emit,
    logger: deps.logger,
  });
  provideChartHistory(sampler.history);
  return {
    async stop() {
      await sampler.stop();
      await redis.quit().catch(() => undefined);
    },
  };
}
