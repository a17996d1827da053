/**
 * `npm run stack -- clean [--older-than <hours>]`: removes what runs that died
 * left on the services (queue keys in Redis, scratch databases, persistent
 * broker sessions). The services are shared (several checkouts, a running
 * demo), so only provably dead data goes:
 *
 * - a run in the registry (scripts/lib/run-registry.ts) whose owner process is
 *   gone: its keys, database and broker sessions;
 * - data of runs from before the registry, recognized by name: names with the
 *   owner's pid (`e2e_<pid>_<hex>`) when that process is gone, names with their
 *   creation time (`wfbench-<time>`, `wft-…-<time>-<hex>`, `wfreadme-…`, `wf_migrate_…`) when
 *   older than --older-than (default 6 hours; no test or benchmark runs that long).
 *
 * Anything else (the demo's `wf` prefix, the test databases, a live run's
 * data) is never touched. Unregistered broker sessions cannot be listed: they
 * expire on their own (tests and benchmarks set a short session expiry).
 */
import { Redis } from 'ioredis';
import {
  listRuns,
  ownerIsDead,
  removeDeadRuns,
  removeKeysWithPrefix,
  type RegistryServices,
} from '../lib/run-registry';
import { dropDatabase, withClient, withDatabase } from './database';

export const DEFAULT_OLDER_THAN_HOURS = 6;

/** A leftover recognized by its name: the owner's pid or the creation time it carries. */
type Owner = { pid: number } | { createdAt: number };

const TIME = '([0-9a-z]{8,9})';
const HEX6 = '[0-9a-f]{6}';
/** Redis key prefixes (first segment of a key) of test and benchmark runs. */
export const PREFIX_NAMES: { pattern: RegExp; owner(match: RegExpMatchArray): Owner }[] = [
  { pattern: /^e2e_(\d+)_[0-9a-f]{8}$/, owner: (m) => ({ pid: Number(m[1]) }) },
  {
    pattern: new RegExp(`^wfbench-${TIME}$`),
    owner: (m) => ({ createdAt: parseInt(m[1]!, 36) }),
  },
  // tests/helpers/services.ts uniqueId(): `<prefix>-<time base 36>-<6 hex>`.
  {
    pattern: new RegExp(`^(?:wf[tz]-[a-z0-9-]*?|wfreadme)-${TIME}-${HEX6}$`),
    owner: (m) => ({ createdAt: parseInt(m[1]!, 36) }),
  },
];
/** Scratch databases of tests: the e2e harness's and the integration tests' uniqueId() names. */
export const DATABASE_NAMES: { pattern: RegExp; owner(match: RegExpMatchArray): Owner }[] = [
  { pattern: /^e2e_(\d+)_[0-9a-f]{8}$/, owner: (m) => ({ pid: Number(m[1]) }) },
  {
    pattern: new RegExp(`^(?:wf_(?:accounts|migrate|schema|prod)|wfreadme)_${TIME}_${HEX6}$`),
    owner: (m) => ({ createdAt: parseInt(m[1]!, 36) }),
  },
];

/** The registry's dead runs, as removals that removed nothing (a dry run). */
async function listDeadRuns(redisUrl: string) {
  const runs = await listRuns(redisUrl);
  return {
    removed: runs
      .filter((run) => ownerIsDead(run))
      .map((run) => ({
        id: run.id,
        keys: 0,
        sessions: 0,
        database: run.databaseUrl ? new URL(run.databaseUrl).pathname.slice(1) : null,
      })),
    live: runs.filter((run) => !ownerIsDead(run)),
  };
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a name's owner is provably gone; a time in the future or unparsable is not proof. */
function provablyDead(owner: Owner, olderThanMs: number, now: number): boolean {
  if ('pid' in owner) return owner.pid > 0 && processGone(owner.pid);
  return Number.isFinite(owner.createdAt) && owner.createdAt < now - olderThanMs;
}

export function deadByName(
  name: string,
  patterns: typeof PREFIX_NAMES,
  olderThanMs: number,
  now: number,
): boolean {
  for (const { pattern, owner } of patterns) {
    const match = name.match(pattern);
    if (match) return provablyDead(owner(match), olderThanMs, now);
  }
  return false;
}

export interface CleanOptions {
  services: RegistryServices;
  /** Any database URL of the server (its scratch databases are listed through it). */
  databaseUrl: string;
  olderThanHours?: number;
  /** List what would go, remove nothing. */
  dryRun?: boolean;
  log?(message: string): void;
  now?: number;
}

export interface CleanResult {
  registeredRuns: number;
  liveRuns: number;
  prefixes: string[];
  keys: number;
  databases: string[];
}

/** Removes the leftovers of dead runs; see the file comment for what counts as dead. */
export async function cleanLeftovers(options: CleanOptions): Promise<CleanResult> {
  const log = options.log ?? ((message: string) => console.log(`[stack] ${message}`));
  const now = options.now ?? Date.now();
  const olderThanMs = (options.olderThanHours ?? DEFAULT_OLDER_THAN_HOURS) * 3_600_000;

  const dryRun = options.dryRun ?? false;
  const { removed, live } = dryRun
    ? await listDeadRuns(options.services.redisUrl)
    : await removeDeadRuns(options.services);
  for (const run of removed) {
    log(
      `dead run ${run.id}: ${run.keys} keys, ${run.sessions} broker sessions${run.database ? `, database ${run.database}` : ''} removed`,
    );
  }
  // Names a live run owns are never removed, whatever they look like.
  const runs = await listRuns(options.services.redisUrl);
  const liveNames = new Set(
    runs.flatMap((run) => [
      ...run.redisPrefixes.map((prefix) => prefix.split(':')[0]!),
      ...(run.databaseUrl ? [new URL(run.databaseUrl).pathname.slice(1)] : []),
    ]),
  );

  const redis = new Redis(options.services.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  const prefixes: string[] = [];
  let keys = removed.reduce((sum, run) => sum + run.keys, 0);
  try {
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 5000);
      cursor = next;
      for (const key of batch) seen.add(key.split(':')[0]!);
    } while (cursor !== '0');
    for (const prefix of seen) {
      if (liveNames.has(prefix) || !deadByName(prefix, PREFIX_NAMES, olderThanMs, now)) continue;
      const count = dryRun ? 0 : await removeKeysWithPrefix(redis, prefix);
      prefixes.push(prefix);
      keys += count;
      log(`leftover prefix ${prefix}: ${count} keys removed`);
    }
  } finally {
    redis.disconnect();
  }

  const databases: string[] = [];
  const names = await withClient(withDatabase(options.databaseUrl, 'postgres'), async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE NOT datistemplate',
    );
    return rows.map((row) => row.datname);
  });
  for (const name of names) {
    if (liveNames.has(name) || !deadByName(name, DATABASE_NAMES, olderThanMs, now)) continue;
    if (!dryRun) await dropDatabase(withDatabase(options.databaseUrl, name));
    databases.push(name);
    log(`leftover database ${name} dropped`);
  }
  for (const run of live) log(`live run ${run.id} (${run.kind}, pid ${run.pid}): kept`);
  log(
    `clean${dryRun ? ' (dry run: nothing removed)' : ''}: ${removed.length} dead runs, ${prefixes.length} leftover prefixes, ${keys} keys, ${databases.length + removed.filter((r) => r.database).length} databases removed`,
  );
  return {
    registeredRuns: removed.length,
    liveRuns: live.length,
    prefixes,
    keys,
    databases,
  };
}
