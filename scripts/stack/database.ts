/**
 * Creating and dropping databases on a running PostgreSQL server, with the
 * credentials of the URL itself, so it works the same against an external server.
 */
import pg from 'pg';
import { sleep } from './exec';

/** Error codes PostgreSQL uses when a concurrent creator won the race. */
const ALREADY_EXISTS = new Set(['42P04', '42710', '23505']);

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`Database URL has no database name: ${redact(url)}`);
  return name;
}

/** The URL with its password hidden, for messages. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Connects, runs fn and always closes the connection. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server restart mid-call must surface as a rejected query, not a crash.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isAlreadyExists(error: unknown): boolean {
  return ALREADY_EXISTS.has((error as { code?: string }).code ?? '');
}

/**
 * Creates the URL's database if missing (needs CREATEDB) and makes sure PostGIS
 * is enabled in it. Safe to call concurrently.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withClient(withDatabase(url, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if (!isAlreadyExists(error)) {
        throw new Error(`Cannot create database "${name}" at ${redact(url)}: ${String(error)}`);
      }
    }
  });
  await withClient(url, async (client) => {
    try {
      // A no-op when the database was copied from a template1 that has PostGIS.
      await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (error) {
      if (isAlreadyExists(error)) return;
      throw new Error(
        `PostGIS is not enabled in "${name}" and this role cannot enable it (${String(error)}). ` +
          'Run CREATE EXTENSION postgis as a superuser in that database or in template1.',
      );
    }
  });
}

/**
 * Drops the URL's database, disconnecting its sessions first; no error if it is missing.
 *
 * PostgreSQL 15 refuses WITH (FORCE) to a non-superuser while an autovacuum worker is in the
 * database ("must be a member of the role whose process is being terminated", SQLSTATE 42501:
 * the worker has no role). A freshly filled scratch database often gets one; it finishes in
 * moments, so the drop is tried again for a while before the error is passed on.
 */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await withClient(withDatabase(url, 'postgres'), async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '42501' || Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}
