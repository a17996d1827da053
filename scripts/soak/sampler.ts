/**
 * One soak sample: resident memory of every process (the roles, the soak
 * itself, Chromium, and the PostgreSQL, Redis and Mosquitto serving the run),
 * Redis's used memory and the soak's own share of it, the database's size and
 * each role's event-loop lag from its process report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { ProcessRegistry } from '../../server/metrics/process-registry';
import { readProcess } from '../bench/stats';
import { forEachKeyBatch } from './redis-keys';
import { postgresPids } from '../lib/service-processes';

export interface ResourceSample {
  /** Resident set size per process (or group of processes), MB. */
  rssMb: Record<string, number>;
  /** Redis INFO used_memory: the whole server, shared with anyone else using it. */
  redisUsedMb: number;
  /** MEMORY USAGE summed over the soak's own keys (its queue and channel prefixes). */
  redisSoakMb: number;
  redisSoakKeys: number;
  databaseMb: number;
  /** p99 event-loop delay per role process over its last report interval, ms. */
  eventLoopLagMs: Record<string, number>;
  /** V8 heap in use, heap V8 holds, and memory outside it (Buffers) per role process, MB, from its process report. */
  roleHeapMb: Record<string, number>;
  roleHeapTotalMb: Record<string, number>;
  /** Of the held heap, compiled code (absent before reports carried it). */
  roleCodeMb?: Record<string, number>;
  roleExternalMb: Record<string, number>;
  /** MQTT messages the ingest processes took (enqueued or refused), cumulative. */
  ingested: number;
  /** The machine's 1-minute load average: how busy the other users of the machine kept it. */
  loadAvg1m: number;
}

export interface SamplerDeps {
  pool: pg.Pool;
  database: string;
  redis: Redis;
  /** Key patterns of the soak's own Redis keys. */
  redisPatterns: string[];
  registry: ProcessRegistry;
  /** The role processes by name. */
  roles: Record<string, number>;
  /** Listening pids of the services (null when not on this machine). */
  services: { postgres: number | null; redis: number | null; mosquitto: number | null };
}

const round = (n: number) => Math.round(n * 100) / 100;
const MB = 2 ** 20;

/** Parent pid and command name of every process, from /proc/<pid>/stat. */
function processTable(): Map<number, { ppid: number; comm: string }> {
  const table = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(entry), { ppid, comm });
    } catch {
      // Exited while we looked.
    }
  }
  return table;
}

/** Pids of every descendant of `root` (Chromium's browser, renderer and helper processes). */
function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [pid, { ppid }] of table) if (frontier.includes(ppid)) next.push(pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function rssOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (readProcess(pid)?.rssMb ?? 0), 0);
}

async function soakKeysMemory(redis: Redis, patterns: string[]) {
  let bytes = 0;
  let keys = 0;
  await forEachKeyBatch(redis, patterns, async (batch) => {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.memory('USAGE', key);
    for (const [error, usage] of (await pipeline.exec()) ?? [])
      if (!error && typeof usage === 'number') bytes += usage;
    keys += batch.length;
  });
  return { mb: bytes / MB, keys };
}

/** Takes one sample (a few hundred ms: it scans the soak's keys). */
export async function sampleResources(deps: SamplerDeps): Promise<ResourceSample> {
  const rssMb: Record<string, number> = {};
  for (const [name, pid] of Object.entries(deps.roles)) rssMb[name] = rssOf([pid]);
  rssMb.soak = process.memoryUsage().rss / MB;
  rssMb.chromium = rssOf(
    descendants(process.pid).filter((pid) => !Object.values(deps.roles).includes(pid)),
  );
  rssMb.postgres = rssOf(await postgresPids(deps.pool, deps.services.postgres, deps.database));
  if (deps.services.redis) rssMb.redis = rssOf([deps.services.redis]);
  if (deps.services.mosquitto) rssMb.mosquitto = rssOf([deps.services.mosquitto]);

  const info = await deps.redis.info('memory');
  const used = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
  const soak = await soakKeysMemory(deps.redis, deps.redisPatterns);
  const { rows } = await deps.pool.query<{ bytes: string }>(
    `SELECT pg_database_size(current_database())::text AS bytes`,
  );
  const byPid = new Map(Object.entries(deps.roles).map(([name, pid]) => [pid, name]));
  const eventLoopLagMs: Record<string, number> = {};
  const roleHeapMb: Record<string, number> = {};
  const roleHeapTotalMb: Record<string, number> = {};
  const roleCodeMb: Record<string, number> = {};
  const roleExternalMb: Record<string, number> = {};
  let ingested = 0;
  for (const report of await deps.registry.readAll()) {
    const name = byPid.get(report.pid);
    if (name) eventLoopLagMs[name] = round(report.eventLoopLagMs);
    if (name && report.memory) {
      roleHeapMb[name] = report.memory.heapUsedMb;
      roleHeapTotalMb[name] = report.memory.heapTotalMb;
      if (report.memory.codeMb !== undefined) roleCodeMb[name] = report.memory.codeMb;
      roleExternalMb[name] = report.memory.externalMb;
    }
    if (report.roles.includes('ingest'))
      for (const n of [...Object.values(report.processed), ...Object.values(report.invalid)])
        ingested += n;
  }
  return {
    rssMb: Object.fromEntries(Object.entries(rssMb).map(([k, v]) => [k, round(v)])),
    redisUsedMb: round(used / MB),
    redisSoakMb: round(soak.mb),
    redisSoakKeys: soak.keys,
    databaseMb: round(Number(rows[0]!.bytes) / MB),
    eventLoopLagMs,
    roleHeapMb,
    roleHeapTotalMb,
    roleCodeMb,
    roleExternalMb,
    ingested,
    loadAvg1m: round(loadavg()[0]!),
  };
}
