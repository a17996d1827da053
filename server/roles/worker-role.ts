/** The worker role: BullMQ workers that store messages and publish their events. */
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createGuardGpsHandler } from '../handlers/guard-gps';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { createTaskWorkers } from '../queues/task-workers';
import { createEventPublisher } from '../realtime/event-channel';
import { createRedis } from '../redis';
import type { RoleHandle } from './role';

/** Starts the workers of every routed queue. */
export function startWorkerRole(
  config: Config,
  deps: { db: Database; logger: Logger; metrics: Metrics },
): RoleHandle {
  const logger = deps.logger.child({ role: 'worker' });
  const workerRedis = createRedis({ url: config.REDIS_URL, name: 'worker', logger });
  const publisherRedis = createRedis({ url: config.REDIS_URL, name: 'event-publisher', logger });
  const publish = createEventPublisher(publisherRedis, config.EVENT_CHANNEL_PREFIX, logger);
  const batch = { maxRows: config.DB_BATCH_MAX_ROWS, maxWaitMs: config.DB_BATCH_MAX_WAIT_MS };
  const guardGps = createGuardGpsHandler({ pool: deps.db.pool, batch });

  const workers = createTaskWorkers({
    connection: workerRedis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    handlers: { process_guard_gps: guardGps.handle },
    onResult: (task, _job, result) => {
      if (task === 'process_guard_gps')
        deps.metrics.guardGpsProcessed.inc({ outcome: result.outcome });
      for (const event of result.events) publish(event);
    },
    logger,
    metrics: deps.metrics,
  });

  return {
    name: 'worker',
    health: () => ({ workers: workers.workers.every((w) => w.isRunning()) }),
    async stop() {
      await workers.close();
      await guardGps.drain();
      await Promise.all([workerRedis.quit(), publisherRedis.quit()]);
    },
  };
}
