/**
 * Devices and sensors on screen against the real stack: the seeded sites
 * (phones linked to guards, sensors placed), telemetry and readings stored
 * through the real storage, then a live reading through Mosquitto. Screenshots
 * of the devices tab, a sensor sparkline, the sensor layer and the wall's counts.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTelemetry } from '../../server/devices/telemetry-store';
import { storeSensorReadings } from '../../server/sensors/reading-store';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { connectTestDevice } from './mqtt-device';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const shot = (name: string) => path.join(REPO_ROOT, 'test-results', `fleet-${name}.png`);
const WAIT = { timeoutMs: 60_000, intervalMs: 250 };
const MIN = 60_000;
const SENSOR = 'sensor-harbour-1'; // temperature, placed by the seed

let stack: LiveStack;
let browser: Browser;
let users: ReturnType<typeof createBrowserUsers>;
/** The phone drained to 9 %: the lowest battery of the seeded sites. */
let lowPhone: string;

beforeAll(async () => {
  stack = await startLiveStack({ guards: 4, rate: 0.5 });
  browser = await launchChromium();
  users = createBrowserUsers(stack, browser);
  const pool = users.pool;
  // Phones of guards the simulator does not walk: a walking guard's fixes count as its
  // phone's last seen, which would hide the stale and offline states set below.
  await waitFor(
    'the simulated guards walking',
    async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM guards WHERE last_fix_at > now() - interval '30 seconds'`,
        )
      ).rows[0]!.n >= 4,
    WAIT,
  );
  const { rows: guards } = await pool.query<{ id: string }>(
    `SELECT d.id FROM devices d JOIN guards g ON g.id = d.guard_id
     WHERE g.last_fix_at IS NULL OR g.last_fix_at < now() - interval '1 hour'
     ORDER BY d.id LIMIT 4`,
  );
  expect(guards.length).toBe(4);
  lowPhone = guards[0]!.id;
  const now = Date.now();
  const report = (deviceId: string, battery: number, agoMs: number) => ({
    messageKey: randomUUID(),
    deviceId,
    battery,
    signalDbm: -72,
    signalPercent: null,
    charging: battery < 20 ? false : null,
    firmware: 'wf-2.4.1',
    reportedAt: now - agoMs,
    receivedAt: now - agoMs,
  });
  // Phone 0 drained from 95% to 9% over the day (low); 1 is stale; 2 is offline; 3 is fine.
  await storeTelemetry(
    pool,
    [
      report(guards[0]!.id, 95, 20 * 60 * MIN),
      report(guards[0]!.id, 9, 0.1 * MIN),
      report(guards[1]!.id, 70, 2 * MIN),
      report(guards[2]!.id, 55, 30 * MIN),
      report(guards[3]!.id, 88, 0.1 * MIN),
    ],
    15,
  );
  // The server-room temperature over the last hour, crossing 60 °C 15 minutes ago.
  const readings = Array.from({ length: 50 }, (_, i) => {
    const ago = (55 - i) * MIN;
    const value = i >= 40 ? 61 + (i - 40) * 0.5 : 21 + Math.sin(i / 4) * 2;
    return {
      messageKey: randomUUID(),
      sensorId: SENSOR,
      kind: 'temperature' as const,
      value: Math.round(value * 10) / 10,
      unit: '°C',
      readAt: now - ago,
      receivedAt: now - ago,
    };
  });
  await storeSensorReadings(pool, readings);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await users?.cleanup();
  await stack?.stop();
});

describe('the fleet on screen', () => {
  it('lists devices lowest battery first with trend and states, in the devices tab', async () => {
    const { page, errors } = await users.open('supervisor', { width: 1440, height: 900 });
    await page.goto(`${stack.baseUrl}/`);
    await waitUntilLive(page, stack);
    await page.getByRole('tab', { name: 'Devices' }).click();
    const rows = page.locator('[data-device-id]');
    await waitFor('device rows', async () => (await rows.count()) >= 4, WAIT);
    const first = rows.first();
    expect(await first.getAttribute('data-battery')).toBe('9');
    await expect.poll(() => first.locator('.wf-device__trend').textContent()).toBe('▼ 86');
    const states = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    expect(states).toContain('stale');
    expect(states).toContain('offline');
    await page.screenshot({ path: shot('devices-tab') });

    await page.getByRole('combobox', { name: 'Sort' }).selectOption('silent');
    const firstSilent = await rows.first().getAttribute('data-state');
    expect(firstSilent).toBe('offline');
    await page.getByRole('checkbox', { name: /Low battery only/ }).check();
    await waitFor('only the low one', async () => (await rows.count()) === 1, WAIT);
    expect(unexpectedErrors(errors)).toEqual([]);
  });

  it("counts a guard's phone that sends only GPS fixes as online, moving forward live", async () => {
    // A phone of a simulated guard (walking, no battery report in the GPS-only mix).
    const pool = users.pool;
    let phone: string | undefined;
    await waitFor(
      'a phone heard from only by its guard',
      async () => {
        const { rows } = await pool.query<{ id: string }>(
          `SELECT d.id FROM devices d JOIN guards g ON g.id = d.guard_id
           WHERE d.last_seen_at IS NULL AND g.last_fix_at > now() - interval '30 seconds'
           ORDER BY d.id LIMIT 1`,
        );
        phone = rows[0]?.id;
        return phone !== undefined;
      },
      WAIT,
    );
    const { page, errors } = await users.open('supervisor', { width: 1440, height: 900 });
    await page.goto(`${stack.baseUrl}/`);
    await waitUntilLive(page, stack);
    await page.getByRole('tab', { name: 'Devices' }).click();
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(phone!);
    const row = page.locator(`[data-device-id="${phone}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-state')).toBe('online');
    const seen = row.locator('.wf-device__seen');
    expect(await seen.getAttribute('data-seen-from')).toBe('fixAt');
    // The list was read once; a newer last seen can only come from the live fixes.
    const first = Date.parse((await seen.getAttribute('title'))!.split(',')[0]!);
    await waitFor(
      'a live fix moving last seen',
      async () => Date.parse((await seen.getAttribute('title'))!.split(',')[0]!) > first,
      WAIT,
    );
    await row.screenshot({ path: shot('gps-only-phone') });
    expect(unexpectedErrors(errors)).toEqual([]);
  });

  it('shows a sensor sparkline from PostgreSQL, its alarm and alert, then a live reading', async () => {
    const { page, errors } = await users.open('supervisor', { width: 1440, height: 900 });
    await page.goto(`${stack.baseUrl}/`);
    await waitUntilLive(page, stack);
    await page.getByRole('tab', { name: 'Sensors' }).click();
    const row = page.locator(`[data-sensor-id="${SENSOR}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-in-alarm')).toBe('true');
    const points = Number(await row.locator('svg.wf-spark').getAttribute('data-points'));
    expect(points).toBeGreaterThanOrEqual(45);
    expect(await row.getByRole('link', { name: /alert \(open\)/ }).getAttribute('href')).toMatch(
      /^\/alerts\/[0-9a-f-]{36}$/,
    );
    expect(await row.locator('.wf-sensor__value strong').textContent()).toBe('65.5 °C');
    // The sensor layer draws the seed's placed sensors on the map.
    const pane = page.locator('.leaflet-sensors-pane');
    await waitFor(
      'sensors on the map',
      async () => Number(await pane.getAttribute('data-sensor-count')) >= 4,
      WAIT,
    );
    await page.screenshot({ path: shot('sensors-tab') });
    await row.screenshot({ path: shot('sensor-sparkline') });

    const device = await connectTestDevice('fleet-sensor');
    try {
      await device.publish(
        `sensor/${SENSOR}/reading`,
        { kind: 'temperature', value: 48.5, unit: '°C', ts: Date.now(), msgId: randomUUID() },
        1,
      );
    } finally {
      await device.close();
    }
    await waitFor(
      'the live reading',
      async () => (await row.locator('.wf-sensor__value strong').textContent()) === '48.5 °C',
      WAIT,
    );
    // 48.5 is under 55: back to normal (hysteresis), live.
    expect(await row.getAttribute('data-in-alarm')).toBe('false');

    await page.getByRole('checkbox', { name: 'Sensors' }).uncheck();
    await waitFor('the layer off', async () => (await pane.locator('canvas').count()) === 0, WAIT);
    expect(unexpectedErrors(errors)).toEqual([]);
  });

  it("lists every device in the admin page's devices section", async () => {
    const { page, errors } = await users.open('admin', { width: 1440, height: 900 });
    await page.goto(`${stack.baseUrl}/admin`);
    await page.getByRole('tab', { name: 'Devices' }).click();
    const rows = page.locator('[data-device-id]');
    await waitFor('device rows', async () => (await rows.count()) >= 4, WAIT);
    // Admins also see devices of no site: any device publishing on the shared broker gets a
    // row in this run's database, so the lowest battery may be a stranger's; the order holds.
    const batteries = await rows.evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-battery') ?? Infinity)),
    );
    expect(batteries).toEqual([...batteries].sort((a, b) => a - b));
    expect(await page.locator(`[data-device-id="${lowPhone}"]`).getAttribute('data-battery')).toBe(
      '9',
    );
    await page.screenshot({ path: shot('admin-devices') });
    expect(unexpectedErrors(errors)).toEqual([]);
  });

  it("shows the wall's low-battery and offline device counts", async () => {
    const { page, errors } = await users.open('viewer', { width: 1920, height: 1080 });
    await page.goto(`${stack.baseUrl}/wall`);
    await waitUntilLive(page, stack);
    const low = page.locator('[data-figure="low-battery"] .wf-figure__value');
    const offline = page.locator('[data-figure="devices-offline"] .wf-figure__value');
    await waitFor('device figures', async () => (await low.textContent()) !== '—', WAIT);
    expect(Number(await low.textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await offline.textContent())).toBeGreaterThanOrEqual(1);
    // The simulated guards' phones are heard from by their fixes: not offline.
    const of = Number(
      (await page
        .locator('[data-figure="devices-offline"] .wf-figure__note')
        .textContent())!.replace(/\D/g, ''),
    );
    await waitFor(
      "the walking guards' phones online",
      async () => Number(await offline.textContent()) <= of - 4,
      WAIT,
    );
    await page.screenshot({ path: shot('wall-counts') });
    expect(unexpectedErrors(errors)).toEqual([]);
  });
});
