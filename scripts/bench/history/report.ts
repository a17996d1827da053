/** The Markdown of a history-storage benchmark run. */
import type { LatencySummary } from '../stats';
import type { IngestComparison } from './ingest';

export interface HistoryReport {
  date: string;
  machine: { cores: number; memoryGb: number; node: string; note: string };
  plan: { days: number; guards: number; intervalS: number; rows: number };
  fill: Record<'partitioned' | 'plain', { rows: number; seconds: number; rowsPerS: number }>;
  size: {
    partitionedBytes: number;
    plainBytes: number;
    bytesPerRow: number;
    partitions: { name: string; rows: number | null; bytes: number }[];
  };
  replay: { oneGuardOneHourMs: LatencySummary; twentyGuards24hMs: LatencySummary };
  drop: { partition: string; rows: number | null; bytes: number; ms: number } | null;
  ingest: IngestComparison;
  planning: { partitions: number; planningMs: LatencySummary }[];
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GB`;
const p = (s: LatencySummary) => `${s.p50} / ${s.p95}`;

/** Renders the report as Markdown. */
export function renderHistoryMarkdown(r: HistoryReport): string {
  const fleetDayBytes = r.size.bytesPerRow * 1000 * 86_400;
  return [
    `# History storage benchmark, ${r.date}`,
    '',
    `${r.machine.cores} cores, ${r.machine.memoryGb} GiB, Node ${r.machine.node}; PostgreSQL on the same machine.`,
    `**${r.machine.note}**`,
    '',
    `Synthetic history: ${r.plan.days} days (the oldest whole, today up to this hour), ${r.plan.guards} guards, ` +
      `one fix every ${r.plan.intervalS} s: ${r.plan.rows.toLocaleString('en')} rows in guard_positions ` +
      '(day partitions), and the same rows in a plain table of the layout before partitioning.',
    '',
    '## Fill (COPY) and size on disk',
    '',
    '| table | rows | seconds | rows/s | on disk (table + indexes) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| partitioned | ${r.fill.partitioned.rows} | ${r.fill.partitioned.seconds.toFixed(1)} | ${r.fill.partitioned.rowsPerS} | ${mb(r.size.partitionedBytes)} |`,
    `| plain | ${r.fill.plain.rows} | ${r.fill.plain.seconds.toFixed(1)} | ${r.fill.plain.rowsPerS} | ${mb(r.size.plainBytes)} |`,
    '',
    `${r.size.bytesPerRow} bytes per fix with its indexes: 1,000 guards at 1 Hz (86.4 million fixes a day) ` +
      `need about ${gb(fleetDayBytes)} a day, ${gb(fleetDayBytes * 31)} at the default 30-day retention ` +
      '(31 day partitions: the retention plus today).',
    '',
    '| partition | rows (estimate) | on disk |',
    '| --- | ---: | ---: |',
    ...r.size.partitions.map((x) => `| ${x.name} | ${x.rows ?? 'n/a'} | ${mb(x.bytes)} |`),
    '',
    '## Replay (the replay query of server/guards/history.ts), ms p50 / p95',
    '',
    '| query | runs | p50 / p95 ms |',
    '| --- | ---: | --- |',
    `| one guard, one hour | ${r.replay.oneGuardOneHourMs.count} | ${p(r.replay.oneGuardOneHourMs)} |`,
    `| 20 guards, 24 hours | ${r.replay.twentyGuards24hMs.count} | ${p(r.replay.twentyGuards24hMs)} |`,
    '',
    '## Retention drop',
    '',
    r.drop
      ? `Dropping ${r.drop.partition} (${r.drop.rows ?? 'n/a'} rows, ${mb(r.drop.bytes)}) with the maintenance job's code ` +
        `(lock, DROP TABLE, audit entry, commit) took ${r.drop.ms} ms and gave the space back at once; ` +
        'a DELETE of the same rows would mark each one dead (WAL for every row) and leave the space to vacuum.'
      : 'No partition was due (nothing dropped).',
    '',
    `## Ingest: batched inserts, partitioned vs plain (same run, ${r.ingest.rounds} interleaved rounds of ${r.ingest.rowsPerRound} rows, ${r.ingest.batchRows}-row batches)`,
    '',
    '| table | rows/s |',
    '| --- | ---: |',
    `| partitioned | ${r.ingest.rowsPerS.partitioned} |`,
    `| plain (already holding the same ${r.plan.days} days) | ${r.ingest.rowsPerS.plain} |`,
    '',
    `Ratio partitioned / plain: **${r.ingest.ratio}**. Per round (partitioned / plain rows/s): ` +
      r.ingest.perRound.map((x) => `${x.partitioned} / ${x.plain}`).join(', ') +
      '.',
    '',
    '## Planning time of a one-hour replay as partitions add up (ms p50 / p95)',
    '',
    '| partitions of guard_positions | planning ms |',
    '| ---: | --- |',
    ...r.planning.map((x) => `| ${x.partitions} | ${p(x.planningMs)} |`),
    '',
  ].join('\n');
}
