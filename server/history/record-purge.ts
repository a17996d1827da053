/**
 * Retention of alerts, device commands and the audit log: only rows that are
 * finished with (resolved alerts, acknowledged or failed commands) and older
 * than their table's retention, in bounded batches so a purge never holds
 * long locks; every batch is audited in its own transaction.
 */
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { withTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import type { RecordTable, RetentionPolicy } from './retention';

const BATCH_ROWS = 5_000;
/** Per table and run: a backlog is worked off over several runs instead of one long one. */
const MAX_BATCHES = 20;

/** What may be purged of each table, and the time its age is counted from. */
export const PURGEABLE: Record<RecordTable, { key: string; time: string; finished: string }> = {
  alerts: { key: 'id', time: 'resolved_at', finished: "status = 'resolved'" },
  device_commands: {
    key: 'id',
    time: 'created_at',
    finished: "status IN ('acknowledged', 'failed')",
  },
  audit_log: { key: 'id', time: 'at', finished: 'true' },
};

export interface PurgedRecords {
  table: RecordTable;
  rows: number;
  cutoff: string;
}

/** Purges each table's finished rows older than its retention; returns what went, per table. */
export async function purgeExpiredRecords(
  pool: pg.Pool,
  retention: RetentionPolicy['records'],
  now: Date,
  logger: Logger,
): Promise<PurgedRecords[]> {
  const purged: PurgedRecords[] = [];
  for (const [table, days] of Object.entries(retention) as [RecordTable, number][]) {
    const { key, time, finished } = PURGEABLE[table];
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const rows = await withTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `DELETE FROM ${table} WHERE ${key} IN (
             SELECT ${key} FROM ${table} WHERE ${finished} AND ${time} < $1 LIMIT ${BATCH_ROWS})`,
          [cutoff],
        );
        const n = rowCount ?? 0;
        if (n > 0) {
          await recordAudit(client, {
            actorId: null,
            actorLabel: 'system',
            action: 'retention.purge',
            target: `table:${table}`,
            details: { table, rows: n, cutoff: cutoff.toISOString(), retentionDays: days },
          });
        }
        return n;
      });
      total += rows;
      if (rows < BATCH_ROWS) break;
    }
    if (total > 0) {
      logger.info({ table, rows: total, cutoff }, 'purged rows past their retention');
      purged.push({ table, rows: total, cutoff: cutoff.toISOString() });
    }
  }
  return purged;
}
