/**
 * GET /api/devices and /api/sensors through the real route handlers against
 * PostgreSQL: site scoping, the online/stale/offline rule, both sort orders,
 * the battery trend, filters, last seen from every source (telemetry, the
 * guard's GPS fix, the device's own health report), the sensor sparkline,
 * threshold and its alert.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as devicesRoute } from '../../app/api/devices/route';
import { GET as sensorsRoute } from '../../app/api/sensors/route';
import { DEVICE_LAST_SEEN, DEVICE_SEEN_JOINS } from '../../server/devices/device-seen';
import { storeTelemetry } from '../../server/devices/telemetry-store';
import { storeGuardFixes } from '../../server/guards/fixes';
import { createSystemHealthHandler } from '../../server/handlers/system-health';
import type { DeviceListDto } from '../../contract/devices';
import type { SensorKind, SensorListDto } from '../../contract/sensors';
import { storeSensorReadings } from '../../server/sensors/reading-store';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { routeRequest } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';

const urls = requireServiceUrls();
const tag = uniqueId('fleet');
const siteA = `${tag}-a`;
const siteB = `${tag}-b`;
const guardA = `${tag}-ga`;
const guardB = `${tag}-gb`;
// Site C: devices heard from only by their guard's GPS, or their own health report, or not at all.
const siteC = `${tag}-c`;
const guardC = `${tag}-gc`;
// Thresholds set below: stale after 60 s, offline after 300 s.
const MIN = 60_000;
const dev = (name: string) => `${tag}-${name}`;

let app: TestApp;
let pool: pg.Pool;
let supervisorA: TestUser;
let admin: TestUser;

async function telemetry(
  deviceId: string,
  battery: number,
  agoMs: number,
  signal: { signalDbm: number | null; signalPercent: number | null } = {
    signalDbm: -70,
    signalPercent: null,
  },
) {
  const at = Date.now() - agoMs;
  await storeTelemetry(
    pool,
    [
      {
        messageKey: uniqueId('k'),
        deviceId,
        battery,
        ...signal,
        charging: false,
        firmware: '2.4.1',
        reportedAt: at,
        receivedAt: at,
      },
    ],
    15,
  );
}

async function reading(sensorId: string, kind: SensorKind, value: number, agoMs: number) {
  const at = Date.now() - agoMs;
  await storeSensorReadings(pool, [
    { messageKey: uniqueId('r'), sensorId, kind, value, unit: '°C', readAt: at, receivedAt: at },
  ]);
}

async function devices(user: TestUser, query = ''): Promise<DeviceListDto> {
  const response = await devicesRoute(
    routeRequest(`/api/devices?q=${tag}${query}`, { cookie: user.cookie }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as DeviceListDto;
}

async function sensors(user: TestUser, query = ''): Promise<SensorListDto> {
  const response = await sensorsRoute(
    routeRequest(`/api/sensors?site=${siteA},${siteB}${query}`, { cookie: user.cookie }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as SensorListDto;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: guardA });
  await createSiteWithGuard(pool, { siteId: siteB, guardId: guardB }, { lat: 51.3, lon: 4.5 });
  // A phone carried by a guard of A, one of B, two installed at A, one with no site at all.
  await pool.query(
    `INSERT INTO devices (id, guard_id, site_id, updated_at) VALUES
       ($1, $6, NULL, now()), ($2, $7, NULL, now()), ($3, NULL, $8, now()),
       ($4, NULL, $8, now()), ($5, NULL, NULL, now())`,
    [
      dev('phone-a'),
      dev('phone-b'),
      dev('box-a1'),
      dev('box-a2'),
      dev('loose'),
      guardA,
      guardB,
      siteA,
    ],
  );
  // phone-a: 90% a day ago, 40% now, online. box-a1: 10%, stale. box-a2: 60%, offline.
  await telemetry(dev('phone-a'), 90, 23 * 60 * MIN);
  await telemetry(dev('phone-a'), 40, 0.2 * MIN);
  await telemetry(dev('box-a1'), 10, 2 * MIN);
  // box-a2 is of the replaced system: its signal is a percentage.
  await telemetry(dev('box-a2'), 60, 10 * MIN, { signalDbm: null, signalPercent: 80 });
  await telemetry(dev('phone-b'), 5, 0.1 * MIN);
  await telemetry(dev('loose'), 50, 0.1 * MIN);

  await reading(`${tag}-temp`, 'temperature', 21, 40 * MIN);
  await reading(`${tag}-temp`, 'temperature', 65, 20 * MIN); // past 60: alarm and alert
  await reading(`${tag}-temp`, 'temperature', 66, 0.5 * MIN);
  await reading(`${tag}-hum`, 'humidity', 40, 5 * MIN);
  await reading(`${tag}-hum-b`, 'humidity', 41, 5 * MIN);
  await pool.query(
    `UPDATE sensors SET site_id = $2,
       location = CASE WHEN id = $3 THEN ST_SetSRID(ST_MakePoint(4.4, 51.22), 4326)::geography END
     WHERE id = ANY($1)`,
    [[`${tag}-temp`, `${tag}-hum`], siteA, `${tag}-temp`],
  );
  await pool.query(`UPDATE sensors SET site_id = $2 WHERE id = $1`, [`${tag}-hum-b`, siteB]);

  await createSiteWithGuard(pool, { siteId: siteC, guardId: guardC }, { lat: 51.1, lon: 4.3 });
  await pool.query(
    `INSERT INTO devices (id, guard_id, site_id, updated_at) VALUES
       ($1, $4, NULL, now()), ($2, NULL, $5, now()), ($3, NULL, $5, now()),
       ($6, $4, NULL, now())`,
    [dev('phone-c'), dev('gw-c'), dev('quiet-c'), guardC, siteC, dev('old-phone-c')],
  );
  // The guard walks (its phone sends no battery report); the gateway reports its health.
  const fixAt = Date.now() - 0.3 * MIN;
  await storeGuardFixes(
    pool,
    [
      {
        messageKey: uniqueId('fix'),
        guardId: guardC,
        lat: 51.1,
        lon: 4.3,
        fixAt,
        accuracyM: 5,
        speedMps: null,
        headingDeg: null,
        receivedAt: fixAt,
        enqueuedAt: null,
      },
    ],
    { confirmFixes: 2, minMarginM: 10 },
  );
  const reportedAt = Date.now() - 0.5 * MIN;
  await createSystemHealthHandler({ pool })({
    messageKey: uniqueId('health'),
    component: dev('gw-c'),
    status: 'ok',
    detail: null,
    metrics: null,
    reportedAt,
    receivedAt: reportedAt,
  });
  // The guard's second phone last reported 10 minutes ago: the guard's newer fix counts for it.
  await telemetry(dev('old-phone-c'), 70, 10 * MIN);

  app = await startTestApp({ GUARD_STALE_AFTER_MS: '60000', GUARD_OFFLINE_AFTER_MS: '300000' });
  supervisorA = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteA] });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
});

afterAll(async () => {
  await app?.stop();
  await pool.query(`DELETE FROM alerts WHERE sensor_id LIKE $1 OR device_id LIKE $1`, [`${tag}%`]);
  await pool.query(`DELETE FROM system_health_reports WHERE component LIKE $1`, [`${tag}%`]);
  await pool.query(`DELETE FROM component_health WHERE component LIKE $1`, [`${tag}%`]);
  await pool.query(`DELETE FROM devices WHERE id LIKE $1`, [`${tag}%`]);
  await pool.query(`DELETE FROM sensors WHERE id LIKE $1`, [`${tag}%`]);
  await removeTestUsers(pool, [supervisorA, admin].filter(Boolean));
  await removeSite(pool, siteA);
  await removeSite(pool, siteB);
  await removeSite(pool, siteC);
  await pool.end();
});

describe('GET /api/devices', () => {
  it("shows a supervisor only their sites' devices, carried or installed, lowest battery first", async () => {
    const list = await devices(supervisorA);
    expect(list.devices.map((d) => d.id)).toEqual([dev('box-a1'), dev('phone-a'), dev('box-a2')]);
    expect(list.total).toBe(3);
    const phone = list.devices.find((d) => d.id === dev('phone-a'))!;
    expect(phone).toMatchObject({
      guard: { id: guardA, name: `Test guard ${guardA}` },
      siteId: siteA,
      battery: 40,
      batteryDayAgo: 90,
      signalDbm: -70,
      signalPercent: null,
      charging: false,
      firmware: '2.4.1',
    });
    expect(list.devices.find((d) => d.id === dev('box-a2'))).toMatchObject({
      signalDbm: null,
      signalPercent: 80,
    });
    expect(list).toMatchObject({
      lowBatteryPercent: 15,
      staleAfterMs: 60000,
      offlineAfterMs: 300000,
    });
  });

  it('gives admins every device, including those of no site', async () => {
    const ids = (await devices(admin)).devices.map((d) => d.id);
    expect(ids.sort()).toEqual(
      [
        dev('box-a1'),
        dev('box-a2'),
        dev('loose'),
        dev('phone-a'),
        dev('phone-b'),
        dev('phone-c'),
        dev('old-phone-c'),
        dev('gw-c'),
        dev('quiet-c'),
      ].sort(),
    );
  });

  it("judges online, stale and offline by the guards' thresholds", async () => {
    const ids = async (state: string) =>
      (await devices(supervisorA, `&state=${state}`)).devices.map((d) => d.id);
    expect(await ids('online')).toEqual([dev('phone-a')]);
    expect(await ids('stale')).toEqual([dev('box-a1')]);
    expect(await ids('offline')).toEqual([dev('box-a2')]);
    expect(await ids('stale,offline')).toEqual([dev('box-a1'), dev('box-a2')]);
  });

  it('sorts longest silent first, and filters low batteries', async () => {
    const silent = await devices(supervisorA, '&sort=silent');
    expect(silent.devices.map((d) => d.id)).toEqual([dev('box-a2'), dev('box-a1'), dev('phone-a')]);
    const low = await devices(admin, '&low=true');
    expect(low.devices.map((d) => d.id)).toEqual([dev('phone-b'), dev('box-a1')]);
  });

  it("counts a guard's GPS fix and a device's own health report as seen, nothing as offline", async () => {
    const list = await devices(admin, `&site=${siteC}&sort=id`);
    const byId = new Map(list.devices.map((d) => [d.id, d]));
    const phone = byId.get(dev('phone-c'))!;
    expect(phone.seen).toMatchObject({ telemetryAt: null, healthAt: null });
    expect(phone.seen.fixAt).not.toBeNull();
    expect(phone.lastSeenAt).toBe(phone.seen.fixAt);
    const gateway = byId.get(dev('gw-c'))!;
    expect(gateway.seen).toMatchObject({ telemetryAt: null, fixAt: null });
    expect(gateway.lastSeenAt).toBe(gateway.seen.healthAt);
    expect(byId.get(dev('quiet-c'))).toMatchObject({
      lastSeenAt: null,
      seen: { telemetryAt: null, fixAt: null, healthAt: null },
    });
    // The newest source wins: a 10-minute-old battery report, a fix 20 s ago.
    expect(byId.get(dev('old-phone-c'))!.lastSeenAt).toBe(phone.seen.fixAt);

    const ids = async (state: string) =>
      (await devices(admin, `&site=${siteC}&state=${state}&sort=id`)).devices.map((d) => d.id);
    expect(await ids('online')).toEqual([dev('gw-c'), dev('old-phone-c'), dev('phone-c')]);
    expect(await ids('offline')).toEqual([dev('quiet-c')]);
  });

  it("judges offline in SQL (the charts' fleet-wide count) by the same sources", async () => {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT d.id FROM devices d ${DEVICE_SEEN_JOINS}
       WHERE d.id = ANY($1) AND (${DEVICE_LAST_SEEN} IS NULL OR ${DEVICE_LAST_SEEN} < now() - interval '300 seconds')
       ORDER BY d.id`,
      [[dev('phone-c'), dev('gw-c'), dev('quiet-c'), dev('old-phone-c')]],
    );
    expect(rows.map((r) => r.id)).toEqual([dev('quiet-c')]);
  });

  it('refuses a bad parameter with the problem named, and strangers', async () => {
    const bad = await devicesRoute(
      routeRequest('/api/devices?sort=newest', { cookie: admin.cookie }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('sort');
    const anonymous = await devicesRoute(routeRequest('/api/devices'));
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/sensors', () => {
  it("gives a supervisor their sites' sensors with reading, unit, threshold, alert and sparkline", async () => {
    const list = await sensors(supervisorA);
    expect(list.sensors.map((s) => s.id)).toEqual([`${tag}-temp`, `${tag}-hum`]); // alarms first
    const temp = list.sensors[0]!;
    expect(temp).toMatchObject({
      kind: 'temperature',
      siteId: siteA,
      lastValue: 66,
      unit: '°C',
      inAlarm: true,
      threshold: { atOrAbove: 60, clearBelow: 55 },
      alert: { status: 'open' },
    });
    expect(temp.location?.lat).toBeCloseTo(51.22, 5);
    // Three readings in three different minutes of the last hour, oldest first.
    expect(temp.spark.map(([, v]) => v)).toEqual([21, 65, 66]);
    const alert = await pool.query(`SELECT sensor_id FROM alerts WHERE id = $1`, [temp.alert!.id]);
    expect(alert.rows[0].sensor_id).toBe(`${tag}-temp`);
    const humidity = list.sensors[1]!;
    expect(humidity).toMatchObject({
      threshold: null,
      alert: null,
      location: null,
      inAlarm: false,
    });
  });

  it('lists only sensors in alarm when asked, and admins see other sites', async () => {
    expect((await sensors(supervisorA, '&alarm=true')).sensors.map((s) => s.id)).toEqual([
      `${tag}-temp`,
    ]);
    expect((await sensors(admin)).sensors.map((s) => s.id)).toContain(`${tag}-hum-b`);
  });
});
