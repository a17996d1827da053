/**
 * maintain_history: run by the job scheduler on the maintenance queue (once for
 * all worker processes): day partitions created ahead, partitions past their
 * retention dropped, finished alerts, commands and audit entries past theirs purged.
 */
import type pg from 'pg';
import { createPartitionsAhead, dropExpiredPartitions } from '../history/partition-maintenance';
import { purgeExpiredRecords } from '../history/record-purge';
import type { RetentionPolicy } from '../history/retention';
import type { Logger } from '../logger';
import type { HandlerResult } from './types';

/** Creates the handler; `now` is injectable for tests. */
export function createMaintainHistoryHandler(deps: {
  pool: pg.Pool;
  retention: RetentionPolicy;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return async function handle(): Promise<HandlerResult> {
    const at = now();
    const created = await createPartitionsAhead(deps.pool, deps.retention.aheadDays, at);
    const { dropped, failed } = await dropExpiredPartitions(
      deps.pool,
      deps.retention.partitions,
      at,
      deps.logger,
    );
    const purged = await purgeExpiredRecords(deps.pool, deps.retention.records, at, deps.logger);
    deps.logger.info(
      { created: created.length, dropped: dropped.length, purged: purged.length },
      'history maintenance done',
    );
    // A failed drop fails the job: it shows on the admin page and the next run tries again.
    if (failed.length > 0) {
      throw new Error(
        `could not drop ${failed.map((f) => `${f.partition} (${f.error})`).join(', ')}`,
      );
    }
    return { outcome: 'stored', events: [] };
  };
}
