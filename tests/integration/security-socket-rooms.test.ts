/**
 * Live sockets follow access as it is now (issue 10, points 2 and 9): a
 * recovered socket gets no room its user lost while it was away, logout and
 * the account CLIs drop live screens at once, and fleet-wide chart samples and
 * device-written component health reach only those allowed to see them.
 * Against the real app, PostgreSQL, Redis and the real CLIs.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as logoutRoute } from '../../app/api/auth/logout/route';
import { GET as replayRoute } from '../../app/api/replay/route';
import { authSettings } from '../../server/auth/auth-settings';
import { createKioskToken, revokeKioskToken } from '../../server/auth/kiosk-tokens';
import { kioskLinkCookie, redactKioskToken } from '../../server/security/kiosk-link';
import { createLogger } from '../../server/logger';
import { createEventPublisher } from '../../server/realtime/event-channel';
import { CHANNEL_EVENTS, type ChannelEvent } from '../../server/realtime/channel-events';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import { createChannelCodec } from '../../server/security/channel-codec';
import { generateFernetKey } from '../../server/security/fernet';
import { updateUser } from '../../server/users/users';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { routeRequest } from '../helpers/route-request';
import { runScript } from '../helpers/run-script';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, sessionCookie, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const KEY = generateFernetKey();
const siteA = uniqueId('site-a');
const siteB = uniqueId('site-b');

let app: TestApp;
let pool: pg.Pool;
let publisherRedis: Redis;
let publish: (event: ChannelEvent) => void;
const users: TestUser[] = [];
const sockets: Socket[] = [];

function alert(siteId: string): ChannelEvent {
  const now = Date.now();
  const payload = {
    id: uniqueId('alert'),
    type: 'sos',
    severity: 'critical',
    status: 'open',
    message: `for ${siteId}`,
    siteId,
    guardId: null,
    deviceId: null,
    sensorId: null,
    location: null,
    raisedAt: now,
    receivedAt: now,
  } as unknown as AlertDto;
  return { type: CHANNEL_EVENTS.alert, payload } as ChannelEvent;
}

/**
 * A screen's socket. It reconnects only when told (socket.connect()), with the
 * private session id and offset Socket.IO keeps, so connection-state recovery applies.
 */
function screen(headers: Record<string, string>, auth: Record<string, string> = {}) {
  const socket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: headers,
    auth,
  });
  sockets.push(socket);
  const alerts: AlertDto[] = [];
  const events: string[] = [];
  let disconnects = 0;
  socket.on(SERVER_EVENTS.alert, (a: AlertDto) => alerts.push(a));
  socket.onAny((event: string) => events.push(event));
  socket.on('disconnect', () => (disconnects += 1));
  const snapshot = new Promise<void>((resolve) => socket.once(SERVER_EVENTS.snapshot, resolve));
  return { socket, alerts, events, disconnects: () => disconnects, snapshot };
}

/** A CLI run against this test's app (its services, channel and key). */
function runCli(script: string, args: string[], stdin = '') {
  return runScript(script, args, {
    stdin,
    env: {
      DATABASE_URL: urls.databaseUrl,
      REDIS_URL: urls.redisUrl,
      EVENT_CHANNEL_PREFIX: app.config.EVENT_CHANNEL_PREFIX,
      CHANNELS_ENCRYPTION_KEY: KEY,
    },
  });
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: uniqueId('ga') });
  await createSiteWithGuard(
    pool,
    { siteId: siteB, guardId: uniqueId('gb') },
    { lat: 51.3, lon: 4.5 },
  );
  app = await startTestApp({
    CHANNELS_ENCRYPTION_KEY: KEY,
    CHART_SAMPLE_MS: '500',
    // No periodic sweep during the test: only the immediate drop can disconnect a screen.
    SOCKET_RECHECK_MS: '3600000',
    REPLAY_PER_MINUTE: '3',
  });
  publisherRedis = new Redis(urls.redisUrl);
  publish = createEventPublisher(
    publisherRedis,
    app.config.EVENT_CHANNEL_PREFIX,
    createLogger('silent'),
    { codec: createChannelCodec(KEY) },
  );
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await app?.stop();
  await publisherRedis?.quit();
  if (pool) {
    await removeTestUsers(pool, users);
    await pool.query(`DELETE FROM kiosk_tokens WHERE name LIKE 'rooms-test-%'`);
    await removeSite(pool, siteA);
    await removeSite(pool, siteB);
    await pool.end();
  }
});

async function user(role: 'admin' | 'supervisor' | 'viewer', siteIds: string[] = []) {
  const created = await createTestUser(pool, app.config, { role, siteIds });
  users.push(created);
  return created;
}

describe('recovered sockets (issue 10, point 2)', () => {
  it('get nothing of a site their user lost while they were away', async () => {
    const supervisor = await user('supervisor', [siteA, siteB]);
    const headers = { cookie: supervisor.cookie };
    const s = screen(headers);
    await s.snapshot;
    // A broadcast gives the client an offset, which recovery needs.
    publish(alert(siteA));
    await waitFor(() => s.alerts.length === 1, { what: 'the first alert' });

    // A network blip: the server keeps the session for recovery.
    s.socket.io.engine.close();
    await waitFor(() => !s.socket.connected, { what: 'the drop' });
    // Meanwhile site B is taken away; the supervisor logs in again (the change ended the session).
    await updateUser(pool, supervisor.id, { siteIds: [siteA] });
    headers.cookie = await sessionCookie(pool, app.config, supervisor.id);
    publish(alert(siteB)); // missed while away: must not be replayed
    s.socket.connect();
    await waitFor(() => s.socket.connected, { what: 'the reconnection' });

    // Rooms are settled once an alert of site A published now arrives (a fresh connection
    // joins them after loading its snapshot); then site B's broadcasts must not arrive.
    const seen = () => s.alerts.filter((a) => a.siteId === siteA).length;
    const before = seen();
    await waitFor(
      () => {
        publish(alert(siteA));
        return seen() > before;
      },
      { intervalMs: 200, what: 'an alert of site A after the reconnection' },
    );
    publish(alert(siteB));
    const settled = seen();
    publish(alert(siteA));
    await waitFor(() => seen() > settled, { what: 'the last alert of site A' });
    expect(s.alerts.filter((a) => a.siteId === siteB)).toEqual([]);
  });
});

describe('dropping live sockets at once (issue 10, point 2)', () => {
  it('on logout', async () => {
    const supervisor = await user('supervisor', [siteA]);
    const s = screen({ cookie: supervisor.cookie });
    await s.snapshot;
    const response = await logoutRoute(
      routeRequest('/api/auth/logout', { method: 'POST', cookie: supervisor.cookie }),
    );
    expect(response.status).toBe(200);
    await waitFor(() => s.disconnects() > 0, { what: 'the disconnect', timeoutMs: 10_000 });
  });

  it('when `npm run users -- set-password` changes the user', async () => {
    const supervisor = await user('supervisor', [siteA]);
    const s = screen({ cookie: supervisor.cookie });
    await s.snapshot;
    const run = await runCli(
      'scripts/users.ts',
      ['set-password', supervisor.email],
      'a brand new passphrase\n',
    );
    expect(run.out).toContain('password changed');
    expect(run.code).toBe(0);
    await waitFor(() => s.disconnects() > 0, { what: 'the disconnect', timeoutMs: 10_000 });
    const { rows } = await pool.query(
      `SELECT actor_label FROM audit_log WHERE action = 'user.set_password' AND target = $1`,
      [`user:${supervisor.id}`],
    );
    expect(rows).toEqual([{ actor_label: 'cli' }]);
  });

  it('when `npm run kiosk -- revoke` revokes the wall token', async () => {
    const { token, info } = await createKioskToken(pool, {
      name: uniqueId('rooms-test'),
      siteIds: [siteA],
      createdById: null,
    });
    const wall = screen({}, { kioskToken: token });
    await wall.snapshot;
    const run = await runCli('scripts/kiosk.ts', ['revoke', info.id]);
    expect(run.code).toBe(0);
    await waitFor(() => wall.disconnects() > 0, { what: 'the disconnect', timeoutMs: 10_000 });
  });
});

describe('wall links (issue 10, point 9)', () => {
  it('set the kiosk cookie only for a live token, and never for an expired or revoked one', async () => {
    const settings = authSettings(app.config);
    const live = await createKioskToken(pool, {
      name: uniqueId('rooms-test'),
      siteIds: [siteA],
      createdById: null,
    });
    expect(await kioskLinkCookie(pool, settings, live.token)).toMatch(/HttpOnly/);
    const expiring = await createKioskToken(pool, {
      name: uniqueId('rooms-test'),
      siteIds: [siteA],
      createdById: null,
      expiresAt: Date.now() + 60_000,
    });
    await pool.query(
      `UPDATE kiosk_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring.info.id],
    );
    expect(await kioskLinkCookie(pool, settings, expiring.token)).toBeNull();
    await revokeKioskToken(pool, live.info.id);
    expect(await kioskLinkCookie(pool, settings, live.token)).toBeNull();
    expect(await kioskLinkCookie(pool, settings, 'A'.repeat(43))).toBeNull();
    // An expired token opens no socket either.
    await expect(
      new Promise((resolve, reject) => {
        const wall = screen({}, { kioskToken: expiring.token });
        wall.socket.once('connect_error', reject);
        void wall.snapshot.then(resolve);
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('never log the token of a wall link', () => {
    expect(redactKioskToken('/wall?token=abc&x=1')).toBe('/wall?token=[redacted]&x=1');
    expect(redactKioskToken('/wall?x=1&TOKEN=abc')).toBe('/wall?x=1&TOKEN=[redacted]');
  });
});

describe('history replay (issue 10, point 9)', () => {
  it('is rate-limited per user', async () => {
    const supervisor = await user('supervisor', [siteA]);
    const to = Date.now();
    const from = to - 3600_000;
    const ask = () =>
      replayRoute(
        routeRequest(`/api/replay?guards=g1&from=${from}&to=${to}`, {
          cookie: supervisor.cookie,
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('fleet-wide events (issue 10, point 9)', () => {
  it("send chart samples to supervisors, and component health to its site's screens (no site: admins)", async () => {
    const admin = screen({ cookie: (await user('admin')).cookie });
    const supervisor = screen({ cookie: (await user('supervisor', [siteA])).cookie });
    const viewer = screen({ cookie: (await user('viewer', [siteA])).cookie });
    const elsewhere = screen({ cookie: (await user('viewer', [siteB])).cookie });
    await Promise.all([admin.snapshot, supervisor.snapshot, viewer.snapshot, elsewhere.snapshot]);
    const health = (component: string, siteId: string | null): ChannelEvent => ({
      type: CHANNEL_EVENTS.componentHealth,
      payload: {
        component,
        siteId,
        status: 'down',
        detail: null,
        metrics: null,
        reportedAt: Date.now(),
      },
    });
    publish(health(uniqueId('cam'), null));
    await waitFor(() => admin.events.includes(SERVER_EVENTS.componentHealth), {
      what: 'component health at the admin',
    });
    await waitFor(() => supervisor.events.includes(SERVER_EVENTS.chartSample), {
      what: 'a chart sample at the supervisor',
    });
    // The same broadcasts went by: the others got neither.
    expect(supervisor.events).not.toContain(SERVER_EVENTS.componentHealth);
    expect(viewer.events).not.toContain(SERVER_EVENTS.componentHealth);
    expect(viewer.events).not.toContain(SERVER_EVENTS.chartSample);

    // A gateway of site A: that site's screens, and not another site's.
    publish(health(uniqueId('gw'), siteA));
    await waitFor(() => viewer.events.includes(SERVER_EVENTS.componentHealth), {
      what: "site A's gateway health at site A's viewer",
    });
    await waitFor(() => supervisor.events.includes(SERVER_EVENTS.componentHealth), {
      what: "site A's gateway health at site A's supervisor",
    });
    expect(elsewhere.events).not.toContain(SERVER_EVENTS.componentHealth);
  });
});
