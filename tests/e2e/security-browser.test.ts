/**
 * Security as a browser meets it, on the real stack: the login redirect and
 * form, security headers, an alert message that is HTML shown as inert text,
 * a viewer without an acknowledge button whose API call is refused, and a
 * supervisor of one site who gets nothing of the other (page and Socket.IO).
 */
import pg from 'pg';
import type { Browser, Dialog } from 'playwright-core';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../prisma/seed-data';
import { loadConfig } from '../../server/config';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { GuardPositionDto } from '../../contract/guards';
import { uniqueId } from '../helpers/services';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { createBrowserUsers, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const XSS = '<img src=x onerror=alert(1)>';
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const demo = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

describe('browser security', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let pool: pg.Pool;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  const sockets: Socket[] = [];
  const alertIds: string[] = [];

  beforeAll(async () => {
    stack = await startLiveStack({ guards: 12, rate: 1 });
    browser = await launchChromium();
    pool = new pg.Pool({ connectionString: loadConfig(stack.serverEnv).DATABASE_URL, max: 2 });
    users = createBrowserUsers(stack, browser);
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    if (alertIds.length)
      await pool?.query('DELETE FROM alerts WHERE id = ANY($1::uuid[])', [alertIds]);
    await users?.cleanup();
    await pool?.end();
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('sends a stranger to /login and serves pages with strict security headers', async () => {
    const response = await fetch(`${stack!.baseUrl}/`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/\/login\?next=%2F$/);
    const login = await fetch(`${stack!.baseUrl}/login`);
    const csp = login.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'strict-dynamic'");
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
    expect(login.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const api = await fetch(`${stack!.baseUrl}/api/auth/me`);
    expect(api.status).toBe(401);
  });

  it('logs in through the form and comes back to the page asked for', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const viewer = demo('viewer@watchfloor.local');
    await page.goto(`${stack!.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=email]', viewer.email);
    await page.fill('input[name=password]', viewer.password);
    await Promise.all([page.waitForURL(`${stack!.baseUrl}/`), page.click('button[type=submit]')]);
    const me = await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()));
    expect(me).toMatchObject({ user: { email: viewer.email, role: 'viewer' } });
    await context.close();
  });

  it('shows an HTML alert message as text, opens no dialog, and refuses a viewer the acknowledge API', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
       VALUES (gen_random_uuid(), 'panic', 'high', $1, 'site-harbour', now(), $2) RETURNING id`,
      [XSS, uniqueId('xss')],
    );
    const id = rows[0]!.id;
    alertIds.push(id);
    const viewer = await users!.open('viewer');
    const dialogs: Dialog[] = [];
    viewer.page.on('dialog', (dialog) => {
      dialogs.push(dialog);
      void dialog.dismiss();
    });
    await viewer.page.goto(`${stack!.baseUrl}/`);
    const item = viewer.page.locator(`[data-alert-id="${id}"]`);
    await waitFor('the alert in the feed', () => item.count(), {
      ...WAIT,
      abortIf: () => stack!.crashed(),
    });
    expect(await item.locator('.wf-alert__message').textContent()).toBe(XSS);
    expect(await item.locator('img').count()).toBe(0);
    const status = await viewer.page.evaluate(
      (alertId) =>
        fetch(`/api/alerts/${alertId}/acknowledge`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).then((r) => r.status),
      id,
    );
    expect(status).toBe(403);
    expect(dialogs).toHaveLength(0);
  });

  it('shows a viewer no acknowledge or resolve button, where a supervisor has them', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
       VALUES (gen_random_uuid(), 'sos', 'critical', 'viewer check', 'site-harbour', now(), $1) RETURNING id`,
      [uniqueId('viewer-buttons')],
    );
    const id = rows[0]!.id;
    alertIds.push(id);
    const buttonsOf = async (role: 'viewer' | 'supervisor') => {
      const session = await users!.open(role);
      await session.page.goto(`${stack!.baseUrl}/`);
      const item = session.page.locator(`[data-alert-id="${id}"]`);
      await waitFor(`the alert in the ${role}'s feed`, () => item.count(), {
        ...WAIT,
        abortIf: () => stack!.crashed(),
      });
      return {
        inFeed: await item.getByRole('button', { name: /acknowledge|resolve/i }).count(),
        inBanner: await session.page.locator('.wf-banner__actions button').count(),
      };
    };
    // The supervisor's page proves the buttons exist for someone who may act.
    expect((await buttonsOf('supervisor')).inFeed).toBeGreaterThan(0);
    expect(await buttonsOf('viewer')).toEqual({ inFeed: 0, inBanner: 0 });
  });

  it('gives a supervisor of the harbour nothing of the park, in the page and over Socket.IO', async () => {
    const harbour = await users!.open('supervisor', undefined, ['site-harbour']);
    const cookie = harbour.user.cookie;
    const socket = connectSocket(stack!.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie },
    });
    sockets.push(socket);
    const positions: GuardPositionDto[] = [];
    const snapshot = await new Promise<{ sites: { id: string }[] }>((resolve, reject) => {
      socket.once(SERVER_EVENTS.snapshot, resolve);
      socket.once('connect_error', reject);
    });
    expect(snapshot.sites.map((s) => s.id)).toEqual(['site-harbour']);
    socket.on(SERVER_EVENTS.guardPositions, (batch: GuardPositionDto[]) =>
      positions.push(...batch),
    );
    // The simulator moves guards of both sites: wait for several harbour batches.
    await waitFor(
      'harbour positions',
      () => positions.filter((p) => p.siteId === 'site-harbour').length >= 6,
      {
        ...WAIT,
        abortIf: () => stack!.crashed(),
      },
    );
    expect(positions.filter((p) => p.siteId !== 'site-harbour')).toEqual([]);

    await harbour.page.goto(`${stack!.baseUrl}/`);
    await waitUntilLive(harbour.page, stack!);
    // The map draws only the harbour's geofence; the guard list holds only harbour guards.
    const geofences = await harbour.page.$$eval('path.wf-geofence[data-site-id]', (paths) =>
      paths.map((p) => p.getAttribute('data-site-id')),
    );
    expect(geofences).toEqual(['site-harbour']);
    await harbour.page.getByRole('tab', { name: /guards/i }).click();
    await waitFor(
      'guards on the page',
      () => harbour.page.locator('[data-guard-id][data-site-id]').count(),
      {
        ...WAIT,
        abortIf: () => stack!.crashed(),
      },
    );
    const sites = await harbour.page.$$eval('[data-guard-id][data-site-id]', (rows) =>
      rows.map((r) => r.getAttribute('data-site-id')),
    );
    expect(new Set(sites)).toEqual(new Set(['site-harbour']));
  });
});
