/**
 * What devices report about themselves, on screen, through a real broker with
 * the committed ACL and each device's own credentials:
 *
 * - the replaced system's documented test message, published with the real
 *   `mosquitto_pub` as a provisioned device, is stored (signal as a percentage)
 *   and shows on the card of the guard carrying that device and in the devices tab;
 * - gateways' health (system/<id>/health) shows on the charts tab as field
 *   components, scoped by the gateway's site: one down, one silent past twice
 *   its usual interval, one fine; and the wall counts those needing attention.
 *
 * The server listens on a broker of the test's own (the shared one has no user
 * `test-123`); the harness's simulator publishes elsewhere and is not needed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GUARDS, DEMO_SITES } from '../../prisma/seed-data';
import { createPrivateMosquitto, type PrivateMosquitto } from '../helpers/private-mosquitto';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `field-health-${name}.png`);
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };

/** The replaced system's manual test, byte for byte. */
const SEED_TOPIC = 'device/test-123/telemetry';
const SEED_PAYLOAD = '{"battery": 85, "signal": 90, "timestamp": "2025-11-01T10:00:00Z"}';
const SEED_DEVICE = 'test-123';

const tag = randomBytes(3).toString('hex');
const SITE = DEMO_SITES[0]!.id;
const OTHER_SITE = DEMO_SITES[1]!.id;
const GUARD = DEMO_GUARDS.find((guard) => guard.siteId === SITE)!.id;
const GATEWAYS = {
  down: `gw-down-${tag}`,
  silent: `gw-silent-${tag}`,
  fine: `gw-fine-${tag}`,
  elsewhere: `gw-other-${tag}`,
  unassigned: `gw-nosite-${tag}`,
};

describe("devices' own reports on screen", () => {
  let broker: PrivateMosquitto | undefined;
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;

  /** Publishes like the device itself: the real mosquitto_pub with its own user and password. */
  const publish = (device: string, topic: string, message: string) => {
    const port = new URL(broker!.url).port;
    const result = spawnSync(
      'mosquitto_pub',
      ['-h', '127.0.0.1', '-p', port, '-u', device, '-P', broker!.devicePassword(device)].concat([
        '-i',
        `e2e-${device}`,
        '-q',
        '1',
        '-t',
        topic,
        '-m',
        message,
      ]),
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (result.status !== 0) {
      throw new Error(`mosquitto_pub as ${device} failed: ${result.stderr || result.error}`);
    }
  };
  const health = (gateway: string, status: string, atMs: number, detail?: string) =>
    publish(
      gateway,
      `system/${gateway}/health`,
      JSON.stringify({ status, ts: atMs, ...(detail ? { detail } : {}), metrics: { rssi: -61 } }),
    );

  beforeAll(async () => {
    if (spawnSync('which', ['mosquitto_pub']).status !== 0) {
      throw new Error('mosquitto_pub is not installed: apt-get install mosquitto-clients');
    }
    broker = await createPrivateMosquitto([SEED_DEVICE, ...Object.values(GATEWAYS)]);
    await broker.start();
    stack = await startLiveStack({
      guards: 4,
      rate: 1,
      // The seed's timestamp is from 2025: past the default 90 days, the maintenance job
      // would drop its day partition, possibly before the test looks.
      env: { ...broker.appEnv(), RETENTION_DEVICE_TELEMETRY_DAYS: '3650' },
    });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    mkdirSync(RESULTS, { recursive: true });
    // Provisioning: the tracker is carried by a guard; each gateway belongs to a site (or none).
    await users.pool.query(
      `INSERT INTO devices (id, guard_id, site_id, updated_at)
       VALUES ($1, $2, $3, now()), ($4, NULL, $3, now()), ($5, NULL, $3, now()),
              ($6, NULL, $3, now()), ($7, NULL, $8, now()), ($9, NULL, NULL, now())`,
      [
        SEED_DEVICE,
        GUARD,
        SITE,
        GATEWAYS.down,
        GATEWAYS.silent,
        GATEWAYS.fine,
        GATEWAYS.elsewhere,
        OTHER_SITE,
        GATEWAYS.unassigned,
      ],
    );
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
    await broker?.dispose();
  }, 60_000);

  const wait = () => ({ ...WAIT, abortIf: () => stack!.crashed() });

  it("stores the replaced system's test message and shows it on the guard's card and devices tab", async () => {
    publish(SEED_DEVICE, SEED_TOPIC, SEED_PAYLOAD);
    const row = await waitFor(
      'the seed message in device_telemetry',
      async () => {
        const { rows } = await users!.pool.query<{
          battery: number;
          signal_dbm: number | null;
          signal_percent: number | null;
          reported_at: Date;
        }>(
          `SELECT battery, signal_dbm, signal_percent, reported_at FROM device_telemetry
           WHERE device_id = $1`,
          [SEED_DEVICE],
        );
        return rows[0];
      },
      wait(),
    );
    expect(row).toEqual({
      battery: 85,
      signal_dbm: null,
      signal_percent: 90,
      reported_at: new Date('2025-11-01T10:00:00Z'),
    });

    const { page, errors } = await users!.open('supervisor');
    await page.goto(`${stack!.baseUrl}/`);
    await waitUntilLive(page, stack!);
    await page.getByRole('tab', { name: 'Guards' }).click();
    await page.locator(`[data-guard-id="${GUARD}"] button`).click();
    const card = page.locator(`[data-guard-detail="${GUARD}"]`);
    await card.waitFor();
    const facts = card.locator('.wf-detail__facts');
    await waitFor(
      'battery 85 % and signal 90 % on the card',
      async () => {
        const text = (await facts.textContent()) ?? '';
        return text.includes('85 %') && text.includes('90 %');
      },
      wait(),
    );
    await page.screenshot({ path: shot('seed-telemetry-guard-card') });

    // The devices tab lists it with the battery and the signal in the unit the device used.
    await page.getByRole('tab', { name: 'Devices' }).click();
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(SEED_DEVICE);
    const deviceRow = page.locator(`[data-device-id="${SEED_DEVICE}"]`);
    await deviceRow.waitFor({ timeout: 30_000 });
    expect(await deviceRow.getAttribute('data-battery')).toBe('85');
    expect(await deviceRow.locator('.wf-device__signal').textContent()).toBe('90 %');
    await deviceRow.screenshot({ path: shot('seed-telemetry-devices-tab') });
    expect(unexpectedErrors(errors)).toEqual([]);
  }, 120_000);

  it('flags a down and a silent gateway on the charts tab, and the wall counts them', async () => {
    const now = Date.now();
    // Fine and down report every 10 min (so a slow machine never sees them silent); silent
    // reported every 10 s and stopped 40 s ago (> 2 x 10 s); down says so.
    for (const ago of [40, 30, 20, 10].map((minutes) => minutes * 60_000)) {
      health(GATEWAYS.fine, 'ok', now - ago);
      health(GATEWAYS.down, 'ok', now - ago);
    }
    for (const ago of [70_000, 60_000, 50_000, 40_000]) health(GATEWAYS.silent, 'ok', now - ago);
    health(GATEWAYS.fine, 'ok', now);
    health(GATEWAYS.down, 'down', now, 'uplink lost: no LTE carrier');
    health(GATEWAYS.elsewhere, 'down', now, 'another site');
    health(GATEWAYS.unassigned, 'down', now, 'nobody provisioned me');
    await waitFor(
      'every gateway stored',
      async () => {
        const { rows } = await users!.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM component_health WHERE component = ANY($1)`,
          [Object.values(GATEWAYS)],
        );
        return rows[0]!.n === Object.values(GATEWAYS).length;
      },
      wait(),
    );

    // A supervisor of one site sees that site's gateways only.
    const supervisor = await users!.open('supervisor', { width: 1280, height: 900 }, [SITE]);
    await supervisor.page.goto(`${stack!.baseUrl}/`);
    await waitUntilLive(supervisor.page, stack!);
    await supervisor.page.getByRole('tab', { name: 'Charts' }).click();
    const section = supervisor.page.locator('.wf-field-components');
    const condition = (id: string) =>
      section.locator(`[data-component="${id}"]`).getAttribute('data-condition');
    await waitFor(
      'three gateways of the site listed',
      async () => (await section.locator('[data-component]').count()) === 3,
      wait(),
    );
    expect(await condition(GATEWAYS.down)).toBe('down');
    expect(await condition(GATEWAYS.silent)).toBe('silent');
    expect(await condition(GATEWAYS.fine)).toBe('ok');
    const down = section.locator(`[data-component="${GATEWAYS.down}"]`);
    expect(await down.textContent()).toContain('uplink lost: no LTE carrier');
    expect(await down.locator('.wf-component__tick').count()).toBe(5);
    await section.scrollIntoViewIfNeeded();
    await supervisor.page.screenshot({ path: shot('charts-field-components') });

    // Live: the down gateway recovers and the row follows without a reload.
    health(GATEWAYS.down, 'ok', Date.now(), 'carrier back');
    await waitFor(
      'the recovery shown live',
      async () => (await condition(GATEWAYS.down)) === 'ok',
      wait(),
    );

    // The API answers with the same scope; an admin also sees the unassigned gateway.
    const api = await supervisor.page.evaluate(async () => {
      const response = await fetch('/api/components');
      return (await response.json()) as { components: { component: string }[] };
    });
    const listed = api.components.map((c) => c.component).filter((id) => id.endsWith(tag));
    expect(listed.sort()).toEqual([GATEWAYS.down, GATEWAYS.fine, GATEWAYS.silent].sort());

    // The wall of that site: the silent gateway still needs attention.
    const wall = await users!.open('viewer', { width: 1920, height: 1080 }, [SITE]);
    await wall.page.goto(`${stack!.baseUrl}/wall`);
    await waitUntilLive(wall.page, stack!);
    const figure = wall.page.locator('[data-figure="components-degraded"] .wf-figure__value');
    await waitFor(
      'the wall to count 1 component',
      async () => (await figure.textContent()) === '1',
      wait(),
    );
    // The manifest that makes the wall installable is linked and served.
    const manifest = await wall.page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifest).toBe('/manifest.webmanifest');
    await wall.page.screenshot({ path: shot('wall-components-degraded') });

    const admin = await users!.open('admin');
    await admin.page.goto(`${stack!.baseUrl}/`);
    const all = await admin.page.evaluate(async () => {
      const response = await fetch('/api/components');
      return (await response.json()) as {
        components: { component: string; siteId: string | null }[];
      };
    });
    expect(all.components.find((c) => c.component === GATEWAYS.unassigned)).toMatchObject({
      siteId: null,
    });
    for (const user of [supervisor, wall, admin]) expect(unexpectedErrors(user.errors)).toEqual([]);
  }, 180_000);

  it('serves public/: the manifest without a session, the icons and the alert sound as files', async () => {
    const base = stack!.baseUrl;
    const manifest = await fetch(`${base}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    const body = (await manifest.json()) as {
      display: string;
      start_url: string;
      icons: { src: string }[];
    };
    expect(body).toMatchObject({ display: 'fullscreen', start_url: '/wall' });
    for (const { src } of body.icons) {
      const icon = await fetch(`${base}${src}`);
      expect(icon.status, src).toBe(200);
      expect(icon.headers.get('content-type'), src).toMatch(/^image\//);
    }
    const sound = await fetch(`${base}/sounds/critical-alert.wav`);
    expect(sound.status).toBe(200);
    expect(
      Buffer.from(await sound.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
  });
});
