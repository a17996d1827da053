/**
 * The admin storage view: size and row estimate per table and partition, the
 * oldest and newest event time, the retention in force and the next drop.
 * Oldest and newest come from each table's primary key, which leads with the
 * event time, so they cost an index probe at each end, not a scan.
 */
import pg from 'pg';
import { PARTITIONED_TABLES, PARTITIONED_TABLE_NAMES } from '../db/partitions';
import type { StorageDto, StorageTableDto } from '../../contract/admin';
import { listPartitions } from './partition-maintenance';
import { dropDueAt, type RecordTable, type RetentionPolicy } from './retention';

interface Extent {
  oldest: Date | null;
  newest: Date | null;
}

async function extentOf(db: Pick<pg.Pool, 'query'>, table: string, column: string) {
  const t = pg.escapeIdentifier(table);
  const c = pg.escapeIdentifier(column);
  const { rows } = await db.query<Extent>(
    `SELECT (SELECT ${c} FROM ${t} ORDER BY ${c} ASC LIMIT 1) AS oldest,
            (SELECT ${c} FROM ${t} ORDER BY ${c} DESC LIMIT 1) AS newest`,
  );
  return rows[0]!;
}

const epochMs = (d: Date | null) => (d ? d.getTime() : null);

/** Size and estimate of plain tables, by name. */
async function plainTables(db: Pick<pg.Pool, 'query'>, names: string[]) {
  const { rows } = await db.query<{ name: string; bytes: number; reltuples: number }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes, c.reltuples::float8 AS reltuples
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, r]));
}

/** The time shown as oldest and newest of the tables purged by row. */
const RECORD_TIME: Record<RecordTable, string> = {
  alerts: 'raised_at',
  device_commands: 'created_at',
  audit_log: 'at',
};

/** Reads the storage view; `nextMaintenanceAt` comes from the job scheduler (epoch ms). */
export async function readStorage(
  db: Pick<pg.Pool, 'query'>,
  retention: RetentionPolicy,
  nextMaintenanceAt: number | null,
): Promise<StorageDto> {
  const partitions = await listPartitions(db);
  const tables: StorageTableDto[] = [];
  for (const table of PARTITIONED_TABLE_NAMES) {
    const days = retention.partitions[table];
    const mine = partitions.filter((p) => p.table === table);
    const extent = await extentOf(db, table, PARTITIONED_TABLES[table]);
    const known = mine.filter((p) => p.rowEstimate !== null);
    // The oldest partition that may hold rows: the one the next drop takes.
    const oldest = mine.find((p) => p.day !== null && p.rowEstimate !== 0);
    tables.push({
      table,
      retentionBy: 'partitions',
      retentionDays: days,
      bytes: mine.reduce((sum, p) => sum + p.bytes, 0),
      rowEstimate: known.length ? known.reduce((sum, p) => sum + (p.rowEstimate ?? 0), 0) : null,
      oldest: epochMs(extent.oldest),
      newest: epochMs(extent.newest),
      nextDrop:
        oldest?.day != null
          ? { partition: oldest.name, dueAt: dropDueAt(oldest.day, days).getTime() }
          : null,
      partitions: mine.map((p) => ({
        name: p.name,
        day: p.day,
        bytes: p.bytes,
        rowEstimate: p.rowEstimate,
        dropDueAt: p.day ? dropDueAt(p.day, days).getTime() : null,
      })),
    });
  }
  const records = Object.keys(retention.records) as RecordTable[];
  const sizes = await plainTables(db, records);
  for (const table of records) {
    const size = sizes.get(table);
    const extent = await extentOf(db, table, RECORD_TIME[table]);
    tables.push({
      table,
      retentionBy: 'rows',
      retentionDays: retention.records[table],
      bytes: size?.bytes ?? 0,
      rowEstimate: size && size.reltuples >= 0 ? Math.round(size.reltuples) : null,
      oldest: epochMs(extent.oldest),
      newest: epochMs(extent.newest),
      nextDrop: null,
      partitions: [],
    });
  }
  const { rows } = await db.query<{ bytes: number }>(
    'SELECT pg_database_size(current_database())::float8 AS bytes',
  );
  return {
    at: Date.now(),
    databaseBytes: rows[0]!.bytes,
    nextMaintenanceAt,
    tables,
  };
}
