/**
 * The day-partitioned history tables: a redelivery is stored once even when it
 * comes after its day's boundary has passed, and a fix for a day that has no
 * partition (late, or from a clock far behind) is stored in a partition
 * created on demand.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTelemetry } from '../../server/devices/telemetry-store';
import { partitionName } from '../../server/db/partitions';
import { storeGuardFixes, type GuardFix } from '../../server/guards/fixes';
import { createGuardStatusHandler } from '../../server/handlers/guard-status';
import { createSystemHealthHandler } from '../../server/handlers/system-health';
import { storeSensorReadings } from '../../server/sensors/reading-store';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const guardId = uniqueId('guard');
const deviceId = uniqueId('device');
const sensorId = uniqueId('sensor');
const component = uniqueId('component');
const rules = { confirmFixes: 2, minMarginM: 10 };
let pool: pg.Pool;

// A day no other test writes to, so its partition is ours to drop and create:
// a random day in 2001-2019 (far behind any clock, inside no retention window).
const lateDay = new Date(Date.UTC(2001 + Math.floor(Math.random() * 19), 0, 1));
lateDay.setUTCDate(1 + Math.floor(Math.random() * 360));
const lateDayIso = lateDay.toISOString().slice(0, 10);

const fix = (fixAt: string, overrides: Partial<GuardFix> = {}): GuardFix => ({
  messageKey: uniqueId('key'),
  guardId,
  lat: 51.2205,
  lon: 4.4025,
  fixAt: Date.parse(fixAt),
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
  receivedAt: Date.now(),
  enqueuedAt: null,
  ...overrides,
});

/** The partition a stored row landed in, per message key. */
async function partitionsOf(table: string, keys: string[]): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ message_key: string; partition: string }>(
    `SELECT message_key, tableoid::regclass::text AS partition FROM ${table}
     WHERE message_key = ANY($1::text[])`,
    [keys],
  );
  return Object.fromEntries(rows.map((r) => [r.message_key, r.partition]));
}

async function dropLatePartitions() {
  for (const table of [
    'guard_positions',
    'device_telemetry',
    'sensor_readings',
    'guard_status_reports',
    'system_health_reports',
  ] as const) {
    await pool.query(`DROP TABLE IF EXISTS ${partitionName(table, lateDayIso)}`);
  }
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  await dropLatePartitions();
});

afterAll(async () => {
  await dropLatePartitions();
  await pool.query('DELETE FROM guards WHERE id = $1', [guardId]);
  await pool.query('DELETE FROM devices WHERE id = $1', [deviceId]);
  await pool.query('DELETE FROM sensors WHERE id = $1', [sensorId]);
  await pool.query('DELETE FROM system_health_reports WHERE component = $1', [component]);
  await pool.query('DELETE FROM component_health WHERE component = $1', [component]);
  await pool.end();
});

describe('partitioned history storage', () => {
  it('stores a fix redelivered after its day boundary passed once, in its own day', async () => {
    const beforeMidnight = fix('2026-11-30T23:59:59.900Z');
    const afterMidnight = fix('2026-12-01T00:00:00.000Z');
    expect(await storeGuardFixes(pool, [beforeMidnight, afterMidnight], rules)).toMatchObject([
      { status: 'stored' },
      { status: 'stored' },
    ]);
    // The redelivery comes later (next day's rows already stored) with the same event time.
    expect(
      await storeGuardFixes(pool, [{ ...beforeMidnight, receivedAt: Date.now() }], rules),
    ).toEqual([{ status: 'duplicate', latest: null, alerts: [] }]);
    expect(
      await partitionsOf('guard_positions', [beforeMidnight.messageKey, afterMidnight.messageKey]),
    ).toEqual({
      [beforeMidnight.messageKey]: 'guard_positions_p20261130',
      [afterMidnight.messageKey]: 'guard_positions_p20261201',
    });
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM guard_positions WHERE message_key = $1',
      [beforeMidnight.messageKey],
    );
    expect(rows[0].n).toBe(1);
  });

  it('stores a late fix whose day has no partition, creating the partition, and only once', async () => {
    const late = fix(`${lateDayIso}T12:34:56.000Z`);
    const onTime = fix(new Date().toISOString());
    const results = await storeGuardFixes(pool, [late, onTime], rules);
    expect(results.map((r) => r.status)).toEqual(['stored', 'stored']);
    expect((await partitionsOf('guard_positions', [late.messageKey]))[late.messageKey]).toBe(
      partitionName('guard_positions', lateDayIso),
    );
    expect((await storeGuardFixes(pool, [{ ...late }], rules))[0]!.status).toBe('duplicate');
  });

  it('creates a missing partition once when concurrent batches need it', async () => {
    await pool.query(`DROP TABLE IF EXISTS ${partitionName('guard_positions', lateDayIso)}`);
    const batches = Array.from({ length: 4 }, (_, i) => [fix(`${lateDayIso}T0${i}:00:00.000Z`)]);
    const results = await Promise.all(batches.map((b) => storeGuardFixes(pool, b, rules)));
    expect(results.flat().map((r) => r.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
  });

  it('stores late telemetry, sensor readings, duty statuses and health reports in new day partitions', async () => {
    const at = Date.parse(`${lateDayIso}T08:00:00.000Z`);
    const telemetry = {
      messageKey: uniqueId('tm'),
      deviceId,
      battery: 80,
      signalDbm: null,
      signalPercent: null,
      charging: null,
      firmware: null,
      reportedAt: at,
      receivedAt: Date.now(),
    };
    expect((await storeTelemetry(pool, [telemetry], 15))[0]!.status).toBe('stored');
    expect((await storeTelemetry(pool, [{ ...telemetry }], 15))[0]!.status).toBe('duplicate');

    const reading = {
      messageKey: uniqueId('sr'),
      sensorId,
      kind: 'temperature' as const,
      value: 20,
      unit: 'C',
      readAt: at,
      receivedAt: Date.now(),
    };
    expect((await storeSensorReadings(pool, [reading]))[0]!.status).toBe('stored');
    expect((await storeSensorReadings(pool, [{ ...reading }]))[0]!.status).toBe('duplicate');

    const status = createGuardStatusHandler({ pool });
    const statusJob = {
      messageKey: uniqueId('gs'),
      guardId,
      status: 'patrolling' as const,
      note: null,
      reportedAt: at,
      receivedAt: Date.now(),
    };
    expect((await status(statusJob)).outcome).toBe('stored');
    expect((await status(statusJob)).outcome).toBe('duplicate');

    const health = createSystemHealthHandler({ pool });
    const healthJob = {
      messageKey: uniqueId('sh'),
      component,
      status: 'ok' as const,
      detail: null,
      metrics: null,
      reportedAt: at,
      receivedAt: Date.now(),
    };
    expect((await health(healthJob)).outcome).toBe('stored');
    expect((await health(healthJob)).outcome).toBe('duplicate');

    expect(await partitionsOf('device_telemetry', [telemetry.messageKey])).toEqual({
      [telemetry.messageKey]: partitionName('device_telemetry', lateDayIso),
    });
    expect(await partitionsOf('sensor_readings', [reading.messageKey])).toEqual({
      [reading.messageKey]: partitionName('sensor_readings', lateDayIso),
    });
    expect(await partitionsOf('guard_status_reports', [statusJob.messageKey])).toEqual({
      [statusJob.messageKey]: partitionName('guard_status_reports', lateDayIso),
    });
    expect(await partitionsOf('system_health_reports', [healthJob.messageKey])).toEqual({
      [healthJob.messageKey]: partitionName('system_health_reports', lateDayIso),
    });
  });
});
