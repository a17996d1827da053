/**
 * What the admin page and the command API need on a web node, over the
 * process's fail-fast Redis connection: the queue producers (commands are enqueued from here),
 * the inspector and the stats feed. Built by the web role, reached by route
 * handlers through webContext().admin.
 */
import type { RedisClient } from '../redis';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { HISTORY_MAINTENANCE_QUEUE, nextHistoryMaintenance } from '../history/maintenance-schedule';
import { retentionPolicy } from '../history/retention';
import { readStorage } from '../history/storage-report';
import type { Logger } from '../logger';
import type { StorageDto } from '../../contract/admin';
import type { ProcessHealthDto } from '../../contract/charts';
import { createTaskQueues, type TaskQueues } from '../queues/task-queues';
import { createAdminFeed, type AdminFeed } from './admin-feed';
import { createPeriodicPush, type PeriodicPush } from './periodic-push';
import { createQueueInspector, type QueueInspector } from './queue-inspector';

export interface AdminServices {
  /** Fail-fast: an admin request during a Redis outage errors at once instead of hanging. */
  redis: RedisClient;
  prefix: string;
  queues: TaskQueues;
  inspector: QueueInspector;
  feed: AdminFeed;
  /** Table and partition sizes with retention, pushed every ADMIN_STORAGE_PUSH_MS. */
  storage: PeriodicPush<StorageDto>;
  stop(): Promise<void>;
}

/**
 * Builds the services on the given connection (the caller's); stop() closes the queues.
 * `processes` lists the deployment's processes for the page (the charts merge their reports).
 */
export function createAdminServices(
  config: Config,
  logger: Logger,
  db: Pick<Database, 'read'>,
  redis: RedisClient,
  processes: () => ProcessHealthDto[],
): AdminServices {
  const queues = createTaskQueues(redis, config.QUEUE_PREFIX, logger);
  const inspector = createQueueInspector(queues.queue, redis, config.QUEUE_PREFIX);
  const feed = createAdminFeed({
    inspector,
    redis,
    prefix: config.QUEUE_PREFIX,
    intervalMs: config.ADMIN_PUSH_MS,
    processes,
    logger,
  });
  const retention = retentionPolicy(config);
  const storage = createPeriodicPush({
    what: 'admin storage',
    intervalMs: config.ADMIN_STORAGE_PUSH_MS,
    logger,
    // Sizes and row counts scan catalogs and tables: the read replica when there is one.
    read: async () => {
      const maintenance = await nextHistoryMaintenance(queues.queue(HISTORY_MAINTENANCE_QUEUE));
      return db.read((pool) => readStorage(pool, retention, maintenance));
    },
  });
  return {
    redis,
    prefix: config.QUEUE_PREFIX,
    queues,
    inspector,
    feed,
    storage,
    async stop() {
      feed.stop();
      storage.stop();
      await queues.close();
    },
  };
}
