/**
 * `npm run bench:history`: the history-storage benchmark (a benchmark, not a
 * test). On a fresh database of its own it fills N days of synthetic GPS
 * history with COPY into the day-partitioned guard_positions and, in the same
 * run, into a plain table of the layout before partitioning; then measures
 * replay (one guard over one hour, 20 guards over 24 hours), a retention drop
 * of one day's partition, batched-insert throughput partitioned versus plain
 * (rounds interleaved, so both see the same machine load), and planning time
 * as partitions add up. Writes bench/results/history-<date>.json and .md.
 *
 * Options: --days 3  --guards 50  --interval 15 (s between fixes of a guard)
 *          --rounds 4  --keep (leave the database for inspection)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { LOCAL_SERVICE_DEFAULTS } from '../../../server/config';
import { ensureDayPartitions } from '../../../server/db/partitions';
import { GUARD_PATHS_SQL, listGuardPaths } from '../../../server/guards/history';
import {
  dropExpiredPartitions,
  listPartitions,
} from '../../../server/history/partition-maintenance';
import { retentionPolicy } from '../../../server/history/retention';
import { loadConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { migrate } from '../../migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../../stack/database';
import { summarize } from '../stats';
import { benchGuardId, copyFixes, rowsOf, type FillPlan } from './fill';
import { PLAIN_TABLE_DDL, insertRounds } from './ingest';
import { renderHistoryMarkdown, type HistoryReport } from './report';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DAY = 86_400_000;
const HOUR = 3_600_000;

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    guards: { type: 'string', default: '50' },
    interval: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
  },
});

const log = (message: string) => console.log(`[bench:history] ${message}`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  const days = Number(values.days);
  if (!(days >= 3)) throw new Error('--days must be at least 3 (one day is dropped, two replayed)');
  const guards = Number(values.guards);
  const intervalS = Number(values.interval);
  const base = process.env.DATABASE_URL || LOCAL_SERVICE_DEFAULTS.databaseUrl;
  const databaseUrl = withDatabase(base, 'watchfloor_bench_history');
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', (err) => log(`pool error: ${err.message}`));

  const loadAtStart = os.loadavg()[0]!;
  try {
    // History up to the current hour: days - 1 whole days before today, and today so far.
    const toMs = Math.floor(Date.now() / HOUR) * HOUR;
    const todayStart = Math.floor(toMs / DAY) * DAY;
    const plan: FillPlan = { guards, intervalS, fromMs: todayStart - (days - 1) * DAY, toMs };
    await pool.query(
      `INSERT INTO guards (id, name, updated_at)
       SELECT g, g, now() FROM unnest($1::text[]) AS g`,
      [Array.from({ length: guards }, (_, i) => benchGuardId(i))],
    );
    await pool.query(PLAIN_TABLE_DDL);
    const dayStarts = Array.from({ length: days }, (_, i) => plan.fromMs + i * DAY);
    await ensureDayPartitions(pool, 'guard_positions', dayStarts);

    log(`COPY ${rowsOf(plan)} fixes (${days} days, ${guards} guards, every ${intervalS} s)`);
    const partitionedCopy = await copyFixes(pool, 'guard_positions', plan);
    log(`partitioned: ${partitionedCopy.rows} rows in ${partitionedCopy.seconds.toFixed(1)} s`);
    const plainCopy = await copyFixes(pool, 'guard_positions_plain', plan);
    log(`plain: ${plainCopy.rows} rows in ${plainCopy.seconds.toFixed(1)} s`);
    await pool.query('ANALYZE guard_positions');
    await pool.query('ANALYZE guard_positions_plain');

    const partitions = (await listPartitions(pool, ['guard_positions'])).filter(
      (p) => p.rowEstimate && p.rowEstimate > 0,
    );
    const { rows: sizeRows } = await pool.query<{ plain: number }>(
      `SELECT pg_total_relation_size('guard_positions_plain')::float8 AS plain`,
    );
    const partitionedBytes = partitions.reduce((sum, p) => sum + p.bytes, 0);

    log('replay: one guard over one hour, 20 guards over 24 hours');
    const oneHour: number[] = [];
    const fleetDay: number[] = [];
    for (let i = 0; i < 40; i++) {
      const from = plan.fromMs + Math.floor(Math.random() * (toMs - plan.fromMs - HOUR));
      const guard = benchGuardId(Math.floor(Math.random() * guards));
      const [, ms] = await timed(() =>
        listGuardPaths(pool, { guardIds: [guard], from, to: from + HOUR, siteIds: 'all' }),
      );
      oneHour.push(ms);
    }
    for (let i = 0; i < 10; i++) {
      const from = plan.fromMs + Math.floor(Math.random() * (toMs - plan.fromMs - DAY));
      const start = Math.floor(Math.random() * Math.max(1, guards - 20));
      const ids = Array.from({ length: Math.min(20, guards) }, (_, k) => benchGuardId(start + k));
      const [, ms] = await timed(() =>
        listGuardPaths(pool, { guardIds: ids, from, to: from + DAY, siteIds: 'all' }),
      );
      fleetDay.push(ms);
    }

    log('retention drop of the oldest day partition');
    // A retention that makes exactly the oldest day due, through the job's own (audited) code.
    const retention = retentionPolicy(
      loadConfig({ RETENTION_GUARD_POSITIONS_DAYS: String(days - 2) }),
    ).partitions;
    const [drop, dropMs] = await timed(() =>
      dropExpiredPartitions(pool, retention, new Date(), createLogger('silent')),
    );
    const dropped = drop.dropped.find((d) => d.table === 'guard_positions') ?? null;

    log('batched inserts (500 rows, ON CONFLICT DO NOTHING), interleaved partitioned / plain');
    const ingest = await insertRounds(pool, {
      rounds: Number(values.rounds),
      rowsPerRound: 20_000,
    });

    log('planning time of a one-hour replay as partitions add up');
    const planning = await planningTimes(pool, toMs);

    const report: HistoryReport = {
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        // What else ran is not known here: the load says how busy the machine was.
        note: `1-minute load average ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end; on a shared machine, ratios measured side by side in the run are the meaningful figures.`,
      },
      plan: { days, guards, intervalS, rows: rowsOf(plan) },
      fill: {
        partitioned: {
          ...partitionedCopy,
          rowsPerS: Math.round(partitionedCopy.rows / partitionedCopy.seconds),
        },
        plain: { ...plainCopy, rowsPerS: Math.round(plainCopy.rows / plainCopy.seconds) },
      },
      size: {
        partitionedBytes,
        plainBytes: sizeRows[0]!.plain,
        bytesPerRow: Math.round(partitionedBytes / partitionedCopy.rows),
        partitions: partitions.map((p) => ({ name: p.name, rows: p.rowEstimate, bytes: p.bytes })),
      },
      replay: { oneGuardOneHourMs: summarize(oneHour), twentyGuards24hMs: summarize(fleetDay) },
      drop: dropped
        ? {
            partition: dropped.partition,
            rows: dropped.rowEstimate,
            bytes: dropped.bytes,
            ms: Math.round(dropMs),
          }
        : null,
      ingest,
      planning,
    };
    const stamp = report.date.replace(/[:.]/g, '-').slice(0, 19);
    const dir = path.join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `history-${stamp}.json`), JSON.stringify(report, null, 2) + '\n');
    const markdown = renderHistoryMarkdown(report);
    writeFileSync(path.join(dir, `history-${stamp}.md`), markdown);
    console.log(markdown);
  } finally {
    await pool.end();
    if (!values.keep) await dropDatabase(databaseUrl);
  }
}

/** Planning time (ms) of a one-hour replay with the partitions there are, then with 90 more days. */
async function planningTimes(pool: pg.Pool, atMs: number) {
  const measure = async () => {
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { rows } = await pool.query<{ 'QUERY PLAN': [{ 'Planning Time': number }] }>(
        `EXPLAIN (SUMMARY, FORMAT JSON) ${GUARD_PATHS_SQL}`,
        // Every site ($5 null): as an admin's replay.
        [[benchGuardId(0)], new Date(atMs - HOUR), new Date(atMs), 5000, null],
      );
      samples.push(rows[0]!['QUERY PLAN'][0]['Planning Time']);
    }
    return summarize(samples);
  };
  const count = async () => (await listPartitions(pool, ['guard_positions'])).length;
  const now = { partitions: await count(), planningMs: await measure() };
  await ensureDayPartitions(
    pool,
    'guard_positions',
    Array.from({ length: 90 }, (_, i) => atMs + (i + 8) * DAY),
  );
  const more = { partitions: await count(), planningMs: await measure() };
  return [now, more];
}

main().catch((error: unknown) => {
  console.error(`[bench:history] ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
