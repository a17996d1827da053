/**
 * The partitioned_history migration on a database filled in the old layout:
 * every row of the five history tables is still there afterwards, with the
 * same id, key and event time, each in its day's partition, and ids go on
 * from where they were.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../../scripts/migrate';
import {
  dropDatabase,
  ensureDatabase,
  withClient,
  withDatabase,
} from '../../scripts/stack/database';
import { PARTITIONED_TABLES, type PartitionedTable } from '../../server/db/partitions';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const MIGRATION = '20261205065726_partitioned_history';
const urls = requireServiceUrls();
const dbUrl = withDatabase(urls.databaseUrl, uniqueId('wf_partmig').replace(/-/g, '_'));
const oldLayout = mkdtempSync(path.join(tmpdir(), 'wf-old-layout-'));

// Several days, one far in the past and one crossing midnight, many rows a day.
const FILL = `
  INSERT INTO sites (id, name, geofence) VALUES
    ('s1', 'Site', ST_GeomFromText('POLYGON((4 51,4.1 51,4.1 51.1,4 51.1,4 51))', 4326));
  INSERT INTO guards (id, name, site_id, updated_at) VALUES ('g1', 'G1', 's1', now()), ('g2', 'G2', NULL, now());
  INSERT INTO devices (id, updated_at) VALUES ('d1', now());
  INSERT INTO sensors (id, kind, updated_at) VALUES ('t1', 'temperature', now());
  CREATE TEMP TABLE times AS
    SELECT ts FROM generate_series(timestamptz '2026-11-29 20:00Z', timestamptz '2026-12-01 04:00Z',
                                   interval '7 minutes') AS ts
    UNION ALL SELECT timestamptz '2019-06-15 12:00Z'
    UNION ALL SELECT now();
  INSERT INTO guard_positions (guard_id, position, fix_at, accuracy_m, received_at, message_key, enqueued_at)
    SELECT g, ST_SetSRID(ST_MakePoint(4.05, 51.05), 4326)::geography, ts, 5, ts, g || ts::text, ts
    FROM times, (VALUES ('g1'), ('g2')) AS gs(g);
  INSERT INTO device_telemetry (device_id, battery, reported_at, received_at, message_key)
    SELECT 'd1', 50, ts, ts, 'tm' || ts::text FROM times;
  INSERT INTO sensor_readings (sensor_id, kind, value, unit, read_at, received_at, message_key)
    SELECT 't1', 'temperature', 21.5, 'C', ts, ts, 'sr' || ts::text FROM times;
  INSERT INTO guard_status_reports (guard_id, status, reported_at, received_at, message_key)
    SELECT 'g1', 'patrolling', ts, ts, 'gs' || ts::text FROM times;
  INSERT INTO system_health_reports (component, status, metrics, reported_at, received_at, message_key)
    SELECT 'ingest', 'ok', '{"lag": 1}', ts, ts, 'sh' || ts::text FROM times;
  -- A gap in the ids, as deletions leave: the new table must not reuse them.
  DELETE FROM guard_positions WHERE id % 10 = 3;`;

type Snapshot = Record<PartitionedTable, string[]>;

/** Every row's id, key and event time (epoch ms), sorted, per table. */
async function snapshot(): Promise<Snapshot> {
  return withClient(dbUrl, async (client) => {
    const result = {} as Snapshot;
    for (const [table, column] of Object.entries(PARTITIONED_TABLES) as [
      PartitionedTable,
      string,
    ][]) {
      const { rows } = await client.query<{ row: string }>(
        `SELECT id || '|' || message_key || '|' || (extract(epoch FROM ${column}) * 1000)::bigint AS row
         FROM ${table} ORDER BY id`,
      );
      result[table] = rows.map((r) => r.row);
    }
    return result;
  });
}

beforeAll(async () => {
  // The migrations up to (not including) this one: the old layout.
  for (const m of readMigrations()) {
    if (m.name >= MIGRATION) continue;
    cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(oldLayout, m.name), { recursive: true });
  }
  await ensureDatabase(dbUrl);
  await migrate(dbUrl, { migrationsDir: oldLayout });
});

afterAll(async () => {
  await dropDatabase(dbUrl);
  rmSync(oldLayout, { recursive: true, force: true });
});

describe('the partitioned_history migration', () => {
  let before: Snapshot;

  it('starts from plain tables holding rows', async () => {
    await withClient(dbUrl, (client) => client.query(FILL));
    before = await snapshot();
    for (const rows of Object.values(before)) expect(rows.length).toBeGreaterThan(250);
    const kinds = await relkinds();
    expect(Object.values(kinds)).toEqual(['r', 'r', 'r', 'r', 'r']);
  });

  it('keeps every row with its id, key and event time', async () => {
    const result = await migrate(dbUrl);
    expect(result.applied).toContain(MIGRATION);
    const after = await snapshot();
    for (const table of Object.keys(PARTITIONED_TABLES) as PartitionedTable[]) {
      expect(after[table].length, table).toBe(before[table].length);
      expect(after[table], table).toEqual(before[table]);
    }
  });

  it('leaves partitioned tables with each row in the partition of its UTC day', async () => {
    expect(Object.values(await relkinds())).toEqual(['p', 'p', 'p', 'p', 'p']);
    const misplaced = await withClient(dbUrl, async (client) => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM guard_positions
         WHERE tableoid::regclass::text <> 'guard_positions_p' || to_char(fix_at AT TIME ZONE 'UTC', 'YYYYMMDD')`,
      );
      return rows[0]!.n;
    });
    expect(misplaced).toBe(0);
  });

  it('goes on numbering after the highest old id and still refuses a duplicate message', async () => {
    const maxBefore = Math.max(...before.guard_positions.map((r) => Number(r.split('|')[0])));
    const { inserted, duplicate } = await withClient(dbUrl, async (client) => {
      const sql = `INSERT INTO guard_positions (guard_id, position, fix_at, accuracy_m, received_at, message_key)
         VALUES ('g1', ST_SetSRID(ST_MakePoint(4.05, 51.05), 4326)::geography,
                 '2026-11-30 10:00Z', 5, now(), 'after-migration')
         ON CONFLICT (message_key, fix_at) DO NOTHING RETURNING id`;
      const first = await client.query<{ id: string }>(sql);
      const second = await client.query(sql);
      return { inserted: Number(first.rows[0]!.id), duplicate: second.rowCount };
    });
    expect(inserted).toBeGreaterThan(maxBefore);
    expect(duplicate).toBe(0);
  });
});

async function relkinds(): Promise<Record<string, string>> {
  return withClient(dbUrl, async (client) => {
    const { rows } = await client.query<{ relname: string; relkind: string }>(
      `SELECT relname, relkind FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY relname`,
      [Object.keys(PARTITIONED_TABLES)],
    );
    return Object.fromEntries(rows.map((r) => [r.relname, r.relkind]));
  });
}
