/**
 * What `npm run bench -- --profile` adds to a report: where each role spends
 * its CPU (V8's --cpu-prof files, summarized by function and by package),
 * which Redis commands cost the most (INFO commandstats, reset per step), and
 * which SQL statements (pg_stat_statements, reset per step, when the server
 * preloads it: the local stack does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface SelfTime {
  name: string;
  /** Share of the role's busy (not idle) sampled time, percent. */
  selfPercent: number;
}

export interface CpuProfileSummary {
  role: string;
  sampledS: number;
  /** Share of the sampled time the main thread was idle, percent; the rest is what the lists divide. */
  idlePercent: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where a frame's code lives: an npm package, Node itself, V8's pseudo-frames, or our file. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const own = /\/(server|contract|scripts|app|components|prisma)\//.exec(url);
  return own ? `watchfloor ${own[1]}/` : url;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A frame's file as a reader finds it: inside its package, or relative to the checkout. */
function shortPath(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const inModules = file.lastIndexOf('node_modules/');
  if (inModules >= 0) return file.slice(inModules + 'node_modules/'.length);
  return file.startsWith('/') ? path.relative(process.cwd(), file) : file;
}

/** The heaviest functions and packages by self time in one .cpuprofile (JSON). */
export function summarizeCpuProfile(role: string, json: string, top = 12): CpuProfileSummary {
  const profile = JSON.parse(json) as {
    nodes: CpuProfileNode[];
    startTime: number;
    endTime: number;
  };
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let hits = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' && !url) {
      idle += count;
      continue;
    }
    const file = url ? `${shortPath(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
    hits += count;
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, selfPercent: round1((count / Math.max(hits, 1)) * 100) }));
  return {
    role,
    sampledS: round1((profile.endTime - profile.startTime) / 1e6),
    idlePercent: round1((idle / Math.max(hits + idle, 1)) * 100),
    functions: rank(byFunction),
    packages: rank(byPackage),
  };
}

/** Summaries of the profiles each role wrote into `dir/<role>/` on exit. */
export function summarizeProfileDir(dir: string, roles: string[]): CpuProfileSummary[] {
  return roles.flatMap((role) => {
    let files: string[];
    try {
      // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread; the
      // others are loader workers (tsx's module hooks), idle once the server has started.
      files = readdirSync(path.join(dir, role)).filter((f) =>
        /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f),
      );
    } catch {
      return [];
    }
    // One main-thread file per process that exited; a role is one process here.
    return files.map((file) =>
      summarizeCpuProfile(role, readFileSync(path.join(dir, role, file), 'utf8')),
    );
  });
}

export interface RedisCommandCost {
  command: string;
  calls: number;
  totalS: number;
  usPerCall: number;
}

/** INFO commandstats, heaviest first by total time. */
export function parseCommandStats(info: string, top = 10): RedisCommandCost[] {
  const costs: RedisCommandCost[] = [];
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(
      line.trim(),
    );
    if (!match) continue;
    costs.push({
      command: match[1]!,
      calls: Number(match[2]),
      totalS: Math.round(Number(match[3]) / 1e4) / 100,
      usPerCall: Number(match[4]),
    });
  }
  return costs.sort((a, b) => b.totalS - a.totalS).slice(0, top);
}

export interface SqlStatementCost {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

/** Statement statistics of one step: reset at its start, read at its end. */
export interface StepProfiler {
  start(): Promise<void>;
  stop(): Promise<{ redis: RedisCommandCost[]; sql: SqlStatementCost[] | string }>;
}

/**
 * Per-step Redis and SQL costs. `statsPool` is connected to the database that
 * holds the pg_stat_statements view (the stack's own); `database` is the run's
 * database, whose statements are the ones reported.
 */
export function stepProfiler(redis: Redis, statsPool: pg.Pool, database: string): StepProfiler {
  return {
    async start() {
      await redis.config('RESETSTAT');
      await statsPool.query('SELECT pg_stat_statements_reset()').catch(() => undefined);
    },
    async stop() {
      const redisCosts = parseCommandStats(await redis.info('commandstats'));
      let sql: SqlStatementCost[] | string;
      try {
        const { rows } = await statsPool.query<SqlStatementCost>(
          `SELECT left(regexp_replace(s.query, '\\s+', ' ', 'g'), 160) AS query, s.calls::int AS calls,
                  round(s.total_exec_time::numeric, 1)::float8 AS "totalMs",
                  round(s.mean_exec_time::numeric, 3)::float8 AS "meanMs", s.rows::int AS rows
             FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1 ORDER BY s.total_exec_time DESC LIMIT 10`,
          [database],
        );
        sql = rows;
      } catch (error) {
        sql = `pg_stat_statements unavailable: ${(error as Error).message}`;
      }
      return { redis: redisCosts, sql };
    },
  };
}
