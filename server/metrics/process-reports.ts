/**
 * Wires a process into its deployment's process registry: every process
 * (whatever its roles) publishes its report each CHART_SAMPLE_MS; web nodes
 * read everyone's for the charts and component health.
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ChannelSecurity } from '../realtime/event-channel';
import type { RedisClient } from '../redis';
import type { Metrics } from './metrics';
import { createProcessRegistry, startProcessReporter } from './process-registry';
import { createProcessReportSource, type ProcessReport } from './process-report';

/** Reports expire after this many intervals without renewal: a crashed process then disappears. */
export const REPORT_TTL_INTERVALS = 3;

export interface ProcessReports {
  /** Every live process's latest report; only this process's own while Redis is unreachable. */
  readReports(): Promise<ProcessReport[]>;
  /** Stops reporting and withdraws this process at once. */
  stop(): Promise<void>;
}

/** Starts reporting this process. */
export function startProcessReports(
  config: Pick<Config, 'EVENT_CHANNEL_PREFIX' | 'CHART_SAMPLE_MS' | 'ROLES'>,
  deps: {
    /** Fail-fast: a report that cannot be written now is worthless later. Owned by the caller. */
    redis: RedisClient;
    metrics: Metrics;
    health(): Record<string, boolean>;
    logger: Logger;
    channel: ChannelSecurity;
  },
): ProcessReports {
  const { redis } = deps;
  const registry = createProcessRegistry({
    redis,
    prefix: config.EVENT_CHANNEL_PREFIX,
    codec: deps.channel.codec,
    ttlMs: REPORT_TTL_INTERVALS * config.CHART_SAMPLE_MS,
    onRejected: (reason) =>
      deps.metrics.channelMessageRejected.inc({ path: 'process-reports', reason }),
  });
  const reporter = startProcessReporter({
    registry,
    source: createProcessReportSource({
      metrics: deps.metrics,
      roles: config.ROLES,
      health: deps.health,
    }),
    intervalMs: config.CHART_SAMPLE_MS,
    logger: deps.logger,
  });
  return {
    async readReports() {
      try {
        return await registry.readAll();
      } catch {
        const own = reporter.latest();
        return own ? [own] : [];
      }
    },
    async stop() {
      await reporter.stop();
    },
  };
}
