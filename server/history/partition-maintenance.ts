/**
 * Partition maintenance: day partitions created ahead of today, and whole day
 * partitions dropped once every row in them is past the table's retention.
 * Never a DELETE on the history tables; every drop is logged and audited in
 * the transaction that drops it.
 */
import pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import {
  PARTITIONED_TABLE_NAMES,
  ensureDayPartitions,
  type PartitionedTable,
} from '../db/partitions';
import { withTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import { dropDueAt, type RetentionPolicy } from './retention';

export interface PartitionInfo {
  table: PartitionedTable;
  name: string;
  /** The UTC day it holds (yyyy-mm-dd); null for a partition not named by watchfloor_day_partition. */
  day: string | null;
  bytes: number;
  /** PostgreSQL's estimate (reltuples); null before the partition was first analyzed. */
  rowEstimate: number | null;
}

export interface DroppedPartition {
  table: PartitionedTable;
  partition: string;
  day: string;
  rowEstimate: number | null;
  bytes: number;
  retentionDays: number;
}

export interface MaintenanceResult {
  created: string[];
  dropped: DroppedPartition[];
  /** Drops that failed (a lock not granted in time): tried again at the next run. */
  failed: { partition: string; error: string }[];
}

/** A drop waits at most this long for its lock, so it never stalls ingest behind a long query. */
const DROP_LOCK_TIMEOUT = '5s';

const PARTITIONS_SQL = `
  SELECT parent.relname AS table, child.relname AS name,
         pg_total_relation_size(child.oid)::float8 AS bytes,
         child.reltuples::float8 AS reltuples
  FROM pg_inherits i
  JOIN pg_class parent ON parent.oid = i.inhparent
  JOIN pg_class child ON child.oid = i.inhrelid
  JOIN pg_namespace n ON n.oid = parent.relnamespace
  WHERE n.nspname = current_schema() AND parent.relname = ANY($1::text[])
  ORDER BY parent.relname, child.relname`;

const DAY_SUFFIX = /_p(\d{4})(\d{2})(\d{2})$/;

/** The partitions of the history tables, oldest day first per table. */
export async function listPartitions(
  db: Pick<pg.Pool, 'query'>,
  tables: readonly PartitionedTable[] = PARTITIONED_TABLE_NAMES,
): Promise<PartitionInfo[]> {
  const { rows } = await db.query<{
    table: PartitionedTable;
    name: string;
    bytes: number;
    reltuples: number;
  }>(PARTITIONS_SQL, [tables]);
  return rows.map((r) => {
    const m = DAY_SUFFIX.exec(r.name);
    return {
      table: r.table,
      name: r.name,
      day: m ? `${m[1]}-${m[2]}-${m[3]}` : null,
      bytes: r.bytes,
      // -1 (PostgreSQL 14+) means never vacuumed or analyzed: unknown, not empty.
      rowEstimate: r.reltuples < 0 ? null : Math.round(r.reltuples),
    };
  });
}

/** Creates the partitions of today and aheadDays after it, for every history table. */
export async function createPartitionsAhead(
  pool: pg.Pool,
  aheadDays: number,
  now: Date,
): Promise<string[]> {
  const existing = new Set((await listPartitions(pool)).map((p) => p.name));
  const days = Array.from({ length: aheadDays + 1 }, (_, i) => now.getTime() + i * 86_400_000);
  const created: string[] = [];
  for (const table of PARTITIONED_TABLE_NAMES) {
    const names = await ensureDayPartitions(pool, table, days);
    created.push(...names.filter((n) => !existing.has(n)));
  }
  return created;
}

/** Drops every day partition whose rows are all past its table's retention. */
export async function dropExpiredPartitions(
  pool: pg.Pool,
  retention: RetentionPolicy['partitions'],
  now: Date,
  logger: Logger,
): Promise<Pick<MaintenanceResult, 'dropped' | 'failed'>> {
  const dropped: DroppedPartition[] = [];
  const failed: MaintenanceResult['failed'] = [];
  for (const p of await listPartitions(pool)) {
    if (p.day === null) continue;
    const retentionDays = retention[p.table];
    if (dropDueAt(p.day, retentionDays) > now) continue;
    const drop: DroppedPartition = {
      table: p.table,
      partition: p.name,
      day: p.day,
      rowEstimate: p.rowEstimate,
      bytes: p.bytes,
      retentionDays,
    };
    try {
      await withTransaction(pool, async (client) => {
        await client.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
        await client.query(`DROP TABLE ${pg.escapeIdentifier(p.name)}`);
        await recordAudit(client, {
          actorId: null,
          actorLabel: 'system',
          action: 'retention.drop_partition',
          target: `partition:${p.name}`,
          details: { ...drop },
        });
      });
      logger.info(drop, 'dropped a history partition past its retention');
      dropped.push(drop);
    } catch (error) {
      const message = (error as Error).message;
      logger.warn({ partition: p.name, err: message }, 'history partition drop failed');
      failed.push({ partition: p.name, error: message });
    }
  }
  return { dropped, failed };
}
