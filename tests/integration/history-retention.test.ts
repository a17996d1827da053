/**
 * The maintain_history job on a database of its own: partitions created ahead,
 * whole day partitions dropped past each table's retention (audited, never a
 * row-by-row delete), finished alerts purged past theirs while open ones stay,
 * and one schedule however many worker processes upsert it.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/stack/database';
import { loadConfig } from '../../server/config';
import { PARTITIONED_TABLE_NAMES, partitionName, utcDay } from '../../server/db/partitions';
import { storeGuardFixes } from '../../server/guards/fixes';
import { createMaintainHistoryHandler } from '../../server/handlers/maintain-history';
import {
  HISTORY_MAINTENANCE_SCHEDULER,
  scheduleHistoryMaintenance,
} from '../../server/history/maintenance-schedule';
import { listPartitions } from '../../server/history/partition-maintenance';
import { dropDueAt, retentionPolicy } from '../../server/history/retention';
import { readStorage } from '../../server/history/storage-report';
import { createLogger } from '../../server/logger';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const dbUrl = withDatabase(urls.databaseUrl, uniqueId('wf_retention').replace(/-/g, '_'));
const DAY = 86_400_000;
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
const logger = createLogger('silent');
let pool: pg.Pool;

const retention = retentionPolicy(
  loadConfig({ RETENTION_GUARD_POSITIONS_DAYS: '30', PARTITIONS_AHEAD_DAYS: '3' }),
);

async function storeFixAt(at: Date): Promise<string> {
  const messageKey = uniqueId('key');
  await storeGuardFixes(
    pool,
    [
      {
        messageKey,
        guardId: 'guard-retention',
        lat: 51.22,
        lon: 4.4,
        fixAt: at.getTime(),
        accuracyM: 5,
        speedMps: null,
        headingDeg: null,
        receivedAt: now.getTime(),
        enqueuedAt: null,
      },
    ],
    { confirmFixes: 2, minMarginM: 10 },
  );
  return messageKey;
}

beforeAll(async () => {
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  pool = new pg.Pool({ connectionString: dbUrl, max: 3 });
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await dropDatabase(dbUrl);
});

describe('history maintenance', () => {
  it('drops whole day partitions past retention, keeps the rest and audits each drop', async () => {
    // Day -31 ends 30 days before today started: all its rows are past 30 days.
    const expired = [daysAgo(45), daysAgo(31)];
    const kept = [daysAgo(30), daysAgo(1), now];
    for (const at of [...expired, ...kept]) await storeFixAt(at);

    const handle = createMaintainHistoryHandler({ pool, retention, logger, now: () => now });
    await handle();

    const names = new Set((await listPartitions(pool)).map((p) => p.name));
    for (const at of expired)
      expect(names).not.toContain(partitionName('guard_positions', utcDay(at)));
    for (const at of kept) expect(names).toContain(partitionName('guard_positions', utcDay(at)));
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM guard_positions',
    );
    expect(rows[0]!.n).toBe(kept.length);

    const audit = await pool.query<{
      target: string;
      actor_label: string;
      details: { table: string };
    }>(
      `SELECT target, actor_label, details FROM audit_log WHERE action = 'retention.drop_partition'
       ORDER BY target`,
    );
    expect(audit.rows.map((r) => r.target)).toEqual(
      expired.map((at) => `partition:${partitionName('guard_positions', utcDay(at))}`).sort(),
    );
    expect(
      audit.rows.every((r) => r.actor_label === 'system' && r.details.table === 'guard_positions'),
    ).toBe(true);
  });

  it('keeps today and the days ahead created for every history table', async () => {
    const names = new Set((await listPartitions(pool)).map((p) => p.name));
    for (const table of PARTITIONED_TABLE_NAMES) {
      for (let i = 0; i <= retention.aheadDays; i++) {
        expect(names).toContain(partitionName(table, utcDay(now.getTime() + i * DAY)));
      }
    }
  });

  it('does nothing more on a second run', async () => {
    const before = (await listPartitions(pool)).map((p) => p.name);
    await createMaintainHistoryHandler({ pool, retention, logger, now: () => now })();
    expect((await listPartitions(pool)).map((p) => p.name)).toEqual(before);
  });

  it('reports size, extent, retention and the next drop per table for the admin storage view', async () => {
    const storage = await readStorage(pool, retention, now.getTime() + 60_000);
    expect(storage.tables.map((t) => [t.table, t.retentionBy, t.retentionDays])).toEqual([
      ['guard_positions', 'partitions', 30],
      ['device_telemetry', 'partitions', 90],
      ['sensor_readings', 'partitions', 90],
      ['guard_status_reports', 'partitions', 90],
      ['system_health_reports', 'partitions', 14],
      ['alerts', 'rows', retention.records.alerts],
      ['device_commands', 'rows', retention.records.device_commands],
      ['audit_log', 'rows', retention.records.audit_log],
    ]);
    const positions = storage.tables[0]!;
    const oldestDay = utcDay(daysAgo(30));
    expect(positions.oldest).toBe(new Date(daysAgo(30)).getTime());
    expect(positions.newest).toBe(now.getTime());
    expect(positions.nextDrop).toEqual({
      partition: partitionName('guard_positions', oldestDay),
      dueAt: dropDueAt(oldestDay, 30).getTime(),
    });
    expect(positions.bytes).toBeGreaterThan(0);
    expect(positions.partitions.map((p) => p.name)).toContain(
      partitionName('guard_positions', utcDay(now)),
    );
    expect(storage.nextMaintenanceAt).toBe(now.getTime() + 60_000);
  });

  it('purges resolved alerts past their retention, audited, and keeps open ones however old', async () => {
    const old = daysAgo(retention.records.alerts + 5);
    const insert = (status: string, key: string) =>
      pool.query(
        `INSERT INTO alerts (id, type, severity, status, raised_at, resolved_at, message_key)
         VALUES (gen_random_uuid(), 'sos', 'critical', $1::"AlertStatus", $2, $3, $4)`,
        [status, old, status === 'resolved' ? old : null, key],
      );
    await insert('resolved', 'old-resolved');
    await insert('open', 'old-open');
    await createMaintainHistoryHandler({ pool, retention, logger, now: () => now })();
    const { rows } = await pool.query<{ message_key: string }>(
      'SELECT message_key FROM alerts ORDER BY message_key',
    );
    expect(rows.map((r) => r.message_key)).toEqual(['old-open']);
    const audit = await pool.query<{ details: { rows: number } }>(
      `SELECT details FROM audit_log WHERE action = 'retention.purge' AND target = 'table:alerts'`,
    );
    expect(audit.rows.map((r) => r.details.rows)).toEqual([1]);
  });
});

describe('the maintenance schedule', () => {
  const prefix = uniqueId('wf-sched');
  const redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  // Two worker processes, each with its own Queue object, upsert the schedule.
  const queues = [0, 1].map(() => new Queue('maintenance', { connection: redis, prefix }));
  for (const q of queues) q.on('error', () => undefined);

  afterAll(async () => {
    await queues[0]!.obliterate({ force: true });
    await Promise.all(queues.map((q) => q.close()));
    await redis.quit();
  });

  it('is one job scheduler with one pending run, however many processes upsert it', async () => {
    await Promise.all(queues.map((q) => scheduleHistoryMaintenance(q, 60_000)));
    await scheduleHistoryMaintenance(queues[1]!, 60_000);
    const schedulers = await queues[0]!.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.name, s.every])).toEqual([
      [HISTORY_MAINTENANCE_SCHEDULER, 'maintain_history', 60_000],
    ]);
    const counts = await queues[0]!.getJobCounts('delayed', 'waiting', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
