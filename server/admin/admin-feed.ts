/**
 * Pushes route and queue statistics to the admins connected to this web
 * node, every ADMIN_PUSH_MS while one is connected, plus one soon after an
 * admin action (see periodic-push.ts).
 */
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';
import type { AdminStatsDto } from '../../contract/admin';
import type { ProcessHealthDto } from '../../contract/charts';
import { listBreakers } from '../commands/breaker-registry';
import { createPeriodicPush, type PeriodicPush } from './periodic-push';
import type { QueueInspector } from './queue-inspector';

export interface AdminFeedOptions {
  inspector: QueueInspector;
  redis: RedisClient;
  prefix: string;
  intervalMs: number;
  /** Every process of the deployment (the charts merge their reports). */
  processes(): ProcessHealthDto[];
  logger: Logger;
}

/** snapshot() is also what GET /api/admin/overview serves. */
export type AdminFeed = PeriodicPush<AdminStatsDto>;

/** Creates the feed; it pushes nothing until start(). */
export function createAdminFeed({
  inspector,
  redis,
  prefix,
  intervalMs,
  processes,
  logger,
}: AdminFeedOptions): AdminFeed {
  return createPeriodicPush({
    what: 'admin stats',
    intervalMs,
    logger,
    async read() {
      const [{ routes, queues }, breakers] = await Promise.all([
        inspector.overview(),
        listBreakers(redis, prefix),
      ]);
      return { at: Date.now(), routes, queues, breakers, processes: processes() };
    },
  });
}
