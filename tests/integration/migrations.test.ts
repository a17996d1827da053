/**
 * scripts/migrate.ts against a fresh database: it records migrations exactly as
 * Prisma Migrate does, applies each once, and refuses edited history.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const migrationNames = readMigrations().map((m) => m.name);
const databases: string[] = [];
const tempDirs: string[] = [];

/** A throw-away database with PostGIS, dropped after the file. */
async function freshDatabase(): Promise<string> {
  const url = withDatabase(urls.databaseUrl, uniqueId('wf_migrate').replace(/-/g, '_'));
  databases.push(url);
  await ensureDatabase(url);
  return url;
}

/** A copy of prisma/migrations that a test may edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-migrations-'));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

function recorded(url: string): Promise<MigrationRow[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<MigrationRow>(
      'SELECT * FROM _prisma_migrations ORDER BY migration_name',
    );
    return rows;
  });
}

afterAll(async () => {
  for (const url of databases) await dropDatabase(url);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('migrate', () => {
  let url: string;

  beforeAll(async () => {
    url = await freshDatabase();
  });

  it('records every migration with the SHA-256 of its file and a finish time', async () => {
    const result = await migrate(url);
    expect(result.applied).toEqual(migrationNames);

    const rows = await recorded(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const file = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('creates _prisma_migrations with the columns Prisma Migrate uses', async () => {
    const columns = await withClient(url, async (client) => {
      const { rows } = await client.query<{
        column_name: string;
        data_type: string;
        is_nullable: string;
      }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      return rows.map((r) => `${r.column_name} ${r.data_type} ${r.is_nullable}`);
    });
    expect(columns).toEqual([
      'id character varying NO',
      'checksum character varying NO',
      'finished_at timestamp with time zone YES',
      'migration_name character varying NO',
      'logs text YES',
      'rolled_back_at timestamp with time zone YES',
      'started_at timestamp with time zone NO',
      'applied_steps_count integer NO',
    ]);
  });

  it('applies nothing on a second run', async () => {
    const before = await recorded(url);
    const result = await migrate(url);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toEqual(migrationNames);
    expect(await recorded(url)).toEqual(before);
  });

  it('refuses to run when an applied migration file was changed', async () => {
    const dir = copyOfMigrations();
    const first = migrationNames[0]!;
    appendFileSync(path.join(dir, first, 'migration.sql'), '\n-- an edit after the fact\n');
    await expect(migrate(url, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationError',
      code: 'CHECKSUM_MISMATCH',
      message: expect.stringContaining(first),
    });
  });

  it('accepts a checkout whose line endings became CRLF, as Prisma does', async () => {
    const dir = copyOfMigrations();
    for (const name of migrationNames) {
      const file = path.join(dir, name, 'migration.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n'));
    }
    await expect(migrate(url, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const dir = copyOfMigrations();
    const broken = '99999999999999_broken';
    mkdirSync(path.join(dir, broken));
    writeFileSync(
      path.join(dir, broken, 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
    );
    await expect(migrate(url, { migrationsDir: dir })).rejects.toMatchObject({
      code: 'APPLY_FAILED',
      message: expect.stringContaining(broken),
    });
    const state = await withClient(url, async (client) => {
      const table = await client.query(`SELECT to_regclass('half_done') AS t`);
      const rows = await client.query(
        'SELECT 1 FROM _prisma_migrations WHERE migration_name = $1',
        [broken],
      );
      return { table: (table.rows[0] as { t: string | null }).t, rows: rows.rowCount };
    });
    expect(state).toEqual({ table: null, rows: 0 });
  });
});

describe('migrate run concurrently', () => {
  it('applies each migration exactly once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual([...migrationNames].sort());
    expect((await recorded(url)).map((r) => r.migration_name)).toEqual(migrationNames);
  });
});
