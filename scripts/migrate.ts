/**
 * Applies prisma/migrations/<name>/migration.sql in name order and records each in
 * _prisma_migrations exactly as Prisma Migrate does, so `prisma migrate deploy` on
 * a machine that has Prisma's engines sees them as applied (see DESIGN.md: the
 * engines cannot be downloaded here).
 *
 * CLI: tsx scripts/migrate.ts   (DATABASE_URL, or the local default)
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { LOCAL_SERVICE_DEFAULTS } from '../server/config';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the migrations live unless a caller (a test) points elsewhere. */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

/** The key Prisma Migrate locks on PostgreSQL, so our runner and Prisma's exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Prisma Migrate's own DDL for its bookkeeping table (prisma-engines, postgres flavour).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  /** Hex SHA-256 of the file's bytes: what Prisma stores in `checksum`. */
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Thrown when the database and the migration files disagree; the message says how to fix it. */
export class MigrationError extends Error {
  constructor(
    readonly code: 'CHECKSUM_MISMATCH' | 'FAILED_MIGRATION' | 'APPLY_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Reads the migration folders in name order (timestamp prefixes make that chronological). */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, 'migration.sql'));
      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: sha256Hex(bytes),
      };
    });
}

function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Whether a recorded checksum still matches the file. Like Prisma, accepts the
 * file with its line endings converted either way: git may check out CRLF.
 */
export function checksumMatches(sql: string, recorded: string): boolean {
  return [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')].some(
    (variant) => sha256Hex(variant) === recorded,
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  // One transaction per migration: a failing script leaves neither its changes
  // nor a half-written bookkeeping row behind, so fixing the file and re-running works.
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // No parameters: the simple query protocol runs a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1
       WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(
      'APPLY_FAILED',
      `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
    );
  }
}

/**
 * Applies the pending migrations to databaseUrl. Idempotent, and safe to run
 * concurrently: callers queue on an advisory lock and later ones find nothing to do.
 */
export async function migrate(
  databaseUrl: string,
  options: { migrationsDir?: string; log?: (message: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const migrations = readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    // Rolled-back rows do not count, as in Prisma: the migration may be applied again.
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
       WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (!row) {
        log(`applying ${migration.name}`);
        await applyOne(client, migration);
        result.applied.push(migration.name);
        continue;
      }
      if (row.finished_at === null) {
        throw new MigrationError(
          'FAILED_MIGRATION',
          `Migration ${migration.name} is recorded as started but never finished. ` +
            'Inspect the database, then mark it rolled back (rolled_back_at) or finished.',
        );
      }
      if (!checksumMatches(migration.sql, row.checksum)) {
        throw new MigrationError(
          'CHECKSUM_MISMATCH',
          `Migration ${migration.name} was modified after it was applied ` +
            `(recorded checksum ${row.checksum}, file ${migration.checksum}). ` +
            'Restore the file and put the change in a new migration.',
        );
      }
      result.alreadyApplied.push(migration.name);
    }
    return result;
  } finally {
    // Ending the session releases the advisory lock even if the unlock is skipped.
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // An empty variable counts as unset, as in scripts/stack.
  const url = process.env.DATABASE_URL || LOCAL_SERVICE_DEFAULTS.databaseUrl;
  migrate(url, { log: (message) => console.log(`[migrate] ${message}`) })
    .then(({ applied, alreadyApplied }) => {
      console.log(`[migrate] ${applied.length} applied, ${alreadyApplied.length} already applied`);
    })
    .catch((error: unknown) => {
      console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
      if ((error as { code?: string }).code === 'ECONNREFUSED') {
        console.error('[migrate] is PostgreSQL running? `npm run stack up` starts the local one');
      }
      process.exitCode = 1;
    });
}
