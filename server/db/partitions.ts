/**
 * The day-partitioned history tables: which column partitions each, and how a
 * write whose event time has no partition yet (a late fix, a clock far behind)
 * still gets stored: the missing day partitions are created on demand and the
 * write runs again. Partitions are created and bounded only by the SQL function
 * watchfloor_day_partition (migration 20261205065726_partitioned_history).
 */
import type pg from 'pg';
import { withTransaction } from './transaction';

/** Each partitioned table and its partition column: the device's event time. */
export const PARTITIONED_TABLES = {
  guard_positions: 'fix_at',
  device_telemetry: 'reported_at',
  sensor_readings: 'read_at',
  guard_status_reports: 'reported_at',
  system_health_reports: 'reported_at',
} as const;

export type PartitionedTable = keyof typeof PARTITIONED_TABLES;

export const PARTITIONED_TABLE_NAMES = Object.keys(PARTITIONED_TABLES) as PartitionedTable[];

const DAY_MS = 86_400_000;

/** The UTC day (yyyy-mm-dd) a time falls on: the day partition that holds it. */
export function utcDay(at: Date | number | string): string {
  const ms = new Date(at).getTime();
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The partition's name for a day, as watchfloor_day_partition names it. */
export function partitionName(table: PartitionedTable, day: string): string {
  return `${table}_p${day.replace(/-/g, '')}`;
}

/** Creates the day partitions holding these times (idempotent, safe against a concurrent creator). */
export async function ensureDayPartitions(
  db: Pick<pg.Pool, 'query'>,
  table: PartitionedTable,
  times: Iterable<Date | number | string>,
): Promise<string[]> {
  const days = [...new Set([...times].map(utcDay))].sort();
  const created: string[] = [];
  // One statement per day: each takes its advisory lock only for its own short transaction.
  for (const day of days) {
    const { rows } = await db.query<{ name: string }>(
      'SELECT watchfloor_day_partition($1, $2::date) AS name',
      [table, day],
    );
    created.push(rows[0]!.name);
  }
  return created;
}

/** Whether PostgreSQL refused a row because no partition covers its partition key. */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23514' && /no partition of relation/.test(e.message ?? '');
}

/**
 * Runs a write into `table`; if a row had no partition, creates the partitions of
 * every time of the write and runs it once more. The write must be one
 * transaction (it was rolled back whole), so running it again is safe.
 */
export async function withDayPartitions<T>(
  pool: Pick<pg.Pool, 'query'>,
  table: PartitionedTable,
  times: () => Iterable<Date | number | string>,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    await ensureDayPartitions(pool, table, times());
    return write();
  }
}

/** withTransaction into a partitioned table, creating missing day partitions on demand. */
export function partitionedTransaction<T>(
  pool: pg.Pool,
  table: PartitionedTable,
  times: Iterable<Date | number | string>,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withDayPartitions(
    pool,
    table,
    () => times,
    () => withTransaction(pool, fn),
  );
}
