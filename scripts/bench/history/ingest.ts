/**
 * Insert throughput of the partitioned guard_positions against a plain table of
 * the layout before partitioning, with the statement shape the GPS handler
 * uses (500-row unnest batches, ON CONFLICT DO NOTHING on the idempotency key).
 */
import type pg from 'pg';
import { benchGuardId } from './fill';

/**
 * guard_positions as it was before the partitioned_history migration, with the
 * indexes it has now (no GIST on the position since drop_unused_position_index),
 * so the comparison measures the partitioning alone.
 */
export const PLAIN_TABLE_DDL = `
  CREATE TABLE guard_positions_plain (
    id BIGSERIAL PRIMARY KEY,
    guard_id TEXT NOT NULL REFERENCES guards(id) ON DELETE CASCADE ON UPDATE CASCADE,
    position geography(Point,4326) NOT NULL,
    fix_at TIMESTAMPTZ(3) NOT NULL,
    accuracy_m DOUBLE PRECISION NOT NULL,
    speed_mps DOUBLE PRECISION,
    heading_deg DOUBLE PRECISION,
    received_at TIMESTAMPTZ(3) NOT NULL,
    message_key TEXT NOT NULL UNIQUE,
    enqueued_at TIMESTAMPTZ(3),
    stored_at TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp()
  );
  CREATE INDEX ON guard_positions_plain (guard_id, fix_at);`;

const insertSql = (table: string, conflict: string) => `
  INSERT INTO ${table} (message_key, guard_id, position, fix_at, accuracy_m, received_at)
  SELECT k, g, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, t, 5, now()
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::timestamptz[]) AS u(k, g, lat, lon, t)
  ON CONFLICT (${conflict}) DO NOTHING`;

const TARGETS = [
  { name: 'partitioned', sql: insertSql('guard_positions', 'message_key, fix_at') },
  { name: 'plain', sql: insertSql('guard_positions_plain', 'message_key') },
] as const;

const BATCH = 500;

export interface IngestComparison {
  batchRows: number;
  rounds: number;
  rowsPerRound: number;
  rowsPerS: Record<'partitioned' | 'plain', number>;
  /** Per round, rows/s of each (the spread shows the machine's noise). */
  perRound: Record<'partitioned' | 'plain', number>[];
  /** partitioned / plain. */
  ratio: number;
}

/** Rounds of batched inserts, alternating which table goes first. */
export async function insertRounds(
  pool: pg.Pool,
  options: { rounds: number; rowsPerRound: number },
): Promise<IngestComparison> {
  const totals = { partitioned: { rows: 0, ms: 0 }, plain: { rows: 0, ms: 0 } };
  const perRound: IngestComparison['perRound'] = [];
  const guards = (await pool.query<{ id: string }>('SELECT id FROM guards ORDER BY id')).rows.map(
    (r) => r.id,
  );
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? TARGETS : [...TARGETS].reverse();
    const rates = {} as Record<'partitioned' | 'plain', number>;
    for (const target of order) {
      const started = performance.now();
      for (let done = 0; done < options.rowsPerRound; done += BATCH) {
        const n = Math.min(BATCH, options.rowsPerRound - done);
        const now = Date.now();
        const keys = Array.from({ length: n }, (_, i) => `ingest-${round}-${done + i}`);
        await pool.query(target.sql, [
          keys,
          keys.map((_, i) => guards[i % guards.length] ?? benchGuardId(0)),
          keys.map((_, i) => 51.2 + (i % 100) * 0.0001),
          keys.map((_, i) => 4.4 + (i % 70) * 0.0001),
          keys.map((_, i) => new Date(now - (n - i) * 10)),
        ]);
      }
      const ms = performance.now() - started;
      totals[target.name].rows += options.rowsPerRound;
      totals[target.name].ms += ms;
      rates[target.name] = Math.round(options.rowsPerRound / (ms / 1000));
    }
    perRound.push(rates);
  }
  const rowsPerS = {
    partitioned: Math.round(totals.partitioned.rows / (totals.partitioned.ms / 1000)),
    plain: Math.round(totals.plain.rows / (totals.plain.ms / 1000)),
  };
  return {
    batchRows: BATCH,
    rounds: options.rounds,
    rowsPerRound: options.rowsPerRound,
    rowsPerS,
    perRound,
    ratio: Math.round((rowsPerS.partitioned / rowsPerS.plain) * 100) / 100,
  };
}
