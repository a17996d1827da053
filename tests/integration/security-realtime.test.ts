/**
 * Authenticated, site-scoped sockets and the sealed event channel, against the
 * real app, PostgreSQL and Redis: no handshake without a session or kiosk token,
 * a supervisor of site A gets nothing of site B, and what crosses Redis (the
 * event channel and the Socket.IO adapter's stream) holds no plaintext and
 * loses any message with one flipped byte.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskToken, revokeKioskToken } from '../../server/auth/kiosk-tokens';
import { createEventPublisher, eventStreamKey } from '../../server/realtime/event-channel';
import { CHANNEL_EVENTS, type ChannelEvent } from '../../server/realtime/channel-events';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import type { CommandDto } from '../../contract/commands';
import { createChannelCodec } from '../../server/security/channel-codec';
import { generateFernetKey } from '../../server/security/fernet';
import { createLogger } from '../../server/logger';
import { openAlertDto } from '../helpers/alert-dto';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const KEY = generateFernetKey();
const siteA = uniqueId('site-a');
const siteB = uniqueId('site-b');

let app: TestApp;
let pool: pg.Pool;
let raw: Redis;
let publisherRedis: Redis;
let publish: (event: ChannelEvent) => void;
let admin: TestUser;
let supervisorA: TestUser;
const extraUsers: TestUser[] = [];
const sockets: Socket[] = [];
/** The sealed events in the broadcast stream (what workers wrote for the web nodes). */
async function channelMessages(): Promise<string[]> {
  const entries = await raw.xrange(eventStreamKey(app.config.EVENT_CHANNEL_PREFIX), '-', '+');
  return entries.map(([, fields]) => fields[fields.indexOf('e') + 1]!);
}

function alert(siteId: string, message: string): ChannelEvent {
  const payload = openAlertDto({
    id: uniqueId('alert'),
    type: 'sos',
    severity: 'critical',
    message,
    siteId,
    raisedAt: Date.now(),
  });
  return { type: CHANNEL_EVENTS.alert, payload } as ChannelEvent;
}

function command(siteId: string, text: string): CommandDto {
  return {
    id: uniqueId('command'),
    targetKind: 'guard',
    targetId: uniqueId('guard'),
    siteId,
    type: 'message',
    payload: { text },
    status: 'queued',
    requestedBy: null,
    createdAt: Date.now(),
    sentAt: null,
    acknowledgedAt: null,
    failedAt: null,
    error: null,
    publishAttempts: 0,
  };
}

/** Connects and resolves on the snapshot, or rejects with the connect_error. */
function connect(options: { cookie?: string; origin?: string; kioskToken?: string }) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const socket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: headers,
    auth: options.kioskToken ? { kioskToken: options.kioskToken } : {},
  });
  sockets.push(socket);
  const alerts: AlertDto[] = [];
  socket.on(SERVER_EVENTS.alert, (a: AlertDto) => alerts.push(a));
  const ready = new Promise<{ siteIds: string[] }>((resolve, reject) => {
    socket.once(SERVER_EVENTS.snapshot, (s: { sites: { id: string }[] }) =>
      resolve({ siteIds: s.sites.map((x) => x.id) }),
    );
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) =>
      reject(Object.assign(err, { code: err.data?.code })),
    );
  });
  return { socket, alerts, ready };
}

function rejectedCount(path: string): Promise<number> {
  return app.app.metrics.channelMessageRejected
    .get()
    .then((m) =>
      m.values.filter((v) => v.labels.path === path).reduce((sum, v) => sum + v.value, 0),
    );
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: uniqueId('ga') });
  await createSiteWithGuard(
    pool,
    { siteId: siteB, guardId: uniqueId('gb') },
    { lat: 51.3, lon: 4.5 },
  );
  app = await startTestApp({ CHANNELS_ENCRYPTION_KEY: KEY });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
  supervisorA = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteA] });
  raw = new Redis(urls.redisUrl);
  publisherRedis = new Redis(urls.redisUrl);
  // A worker's publisher: same key, as a separate process would have it.
  publish = createEventPublisher(
    publisherRedis,
    app.config.EVENT_CHANNEL_PREFIX,
    createLogger('silent'),
    {
      codec: createChannelCodec(KEY),
    },
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await app?.stop();
  await raw?.quit();
  await publisherRedis?.quit();
  await removeTestUsers(pool, [admin, supervisorA, ...extraUsers]);
  await removeSite(pool, siteA);
  await removeSite(pool, siteB);
  await pool?.end();
});

describe('socket handshake', () => {
  it('is refused without a session', async () => {
    await expect(connect({}).ready).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is refused with a forged session cookie', async () => {
    const forged = `${admin.cookie.split('=')[0]}=${'A'.repeat(43)}`;
    await expect(connect({ cookie: forged }).ready).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('is refused from a foreign origin, even with a session', async () => {
    await expect(
      connect({ cookie: admin.cookie, origin: 'https://evil.example' }).ready,
    ).rejects.toMatchObject({
      code: 'ORIGIN_REFUSED',
    });
  });

  it('accepts a kiosk token for its sites only, and not once revoked', async () => {
    const { token, info } = await createKioskToken(pool, {
      name: 'test wall',
      siteIds: [siteA],
      createdById: null,
    });
    try {
      const wall = connect({ kioskToken: token });
      const snapshot = await wall.ready;
      expect(snapshot.siteIds).toEqual([siteA]);
      wall.socket.disconnect();
      await revokeKioskToken(pool, info.id);
      await expect(connect({ kioskToken: token }).ready).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await pool.query('DELETE FROM kiosk_tokens WHERE id = $1', [info.id]);
    }
  });
});

describe('site scoping and the sealed channel', () => {
  it('sends a supervisor of site A no event of site B, and admins both', async () => {
    const adminScreen = connect({ cookie: admin.cookie });
    const supervisorScreen = connect({ cookie: supervisorA.cookie });
    const [adminSnapshot, supervisorSnapshot] = await Promise.all([
      adminScreen.ready,
      supervisorScreen.ready,
    ]);
    expect(adminSnapshot.siteIds).toEqual(expect.arrayContaining([siteA, siteB]));
    expect(supervisorSnapshot.siteIds).toEqual([siteA]);

    const secretB = uniqueId('plaintext-marker-b');
    const secretA = uniqueId('plaintext-marker-a');
    publish(alert(siteB, secretB));
    publish(alert(siteA, secretA));
    await waitFor(
      () =>
        adminScreen.alerts.some((a) => a.message === secretA) &&
        adminScreen.alerts.some((a) => a.message === secretB),
      { what: 'both alerts at the admin screen' },
    );
    await waitFor(() => supervisorScreen.alerts.some((a) => a.message === secretA), {
      what: 'the site A alert at the supervisor',
    });
    // B was published first on one ordered channel: had it been sent, it would be here by now.
    expect(supervisorScreen.alerts.map((a) => a.siteId)).toEqual([siteA]);

    // What crossed Redis: the event channel and the adapter's stream hold tokens, never the payload.
    const sealed = await waitFor(
      async () => (await channelMessages()).length >= 2 && channelMessages(),
      {
        what: 'raw channel messages',
      },
    );
    const stream = await raw.xrange(`${app.config.EVENT_CHANNEL_PREFIX}:socket.io`, '-', '+');
    const rawText = JSON.stringify([sealed, stream]);
    expect(rawText).not.toContain('plaintext-marker');
    expect(rawText).not.toContain(siteA);
    expect(sealed.every((m) => /^gAAAAA[A-Za-z0-9_-]+=*$/.test(m))).toBe(true);
    expect(stream.length).toBeGreaterThan(0);
    for (const [, fields] of stream) expect(fields[0]).toBe('s');
  });

  it('sends device commands only to those who may act on the site, never to its viewers', async () => {
    const viewerA = await createTestUser(pool, app.config, { role: 'viewer', siteIds: [siteA] });
    extraUsers.push(viewerA);
    const viewerScreen = connect({ cookie: viewerA.cookie });
    const supervisorScreen = connect({ cookie: supervisorA.cookie });
    await Promise.all([viewerScreen.ready, supervisorScreen.ready]);
    const commandsSeen = (socket: Socket) => {
      const seen: CommandDto[] = [];
      socket.on(SERVER_EVENTS.command, (c: CommandDto) => seen.push(c));
      return seen;
    };
    const viewerCommands = commandsSeen(viewerScreen.socket);
    const supervisorCommands = commandsSeen(supervisorScreen.socket);

    const text = uniqueId('private-message');
    publish({ type: CHANNEL_EVENTS.command, payload: command(siteA, text) } as ChannelEvent);
    // An alert after it on the same ordered channel: once the viewer has it, the command would be there too.
    const after = uniqueId('after-command');
    publish(alert(siteA, after));
    await waitFor(() => supervisorCommands.some((c) => c.payload.text === text), {
      what: 'the command at the supervisor of site A',
    });
    await waitFor(() => viewerScreen.alerts.some((a) => a.message === after), {
      what: 'the later alert at the viewer of site A',
    });
    expect(viewerCommands).toEqual([]);
  });

  it('drops and counts a channel message with one flipped byte', async () => {
    const screen = connect({ cookie: admin.cookie });
    await screen.ready;
    const marker = uniqueId('tampered');
    const before = (await channelMessages()).length;
    publish(alert(siteA, marker));
    await waitFor(() => screen.alerts.some((a) => a.message === marker), {
      what: 'the genuine alert',
    });
    const genuine = (await channelMessages()).slice(before).at(-1)!;
    const bytes = Buffer.from(genuine, 'base64url');
    bytes[bytes.length - 40]! ^= 0x01;
    const tampered = bytes.toString('base64url');
    const rejectedBefore = await rejectedCount('events');
    const stream = eventStreamKey(app.config.EVENT_CHANNEL_PREFIX);
    await publisherRedis.xadd(stream, '*', 'e', tampered);
    // A foreign (plain JSON) event is dropped the same way.
    await publisherRedis.xadd(stream, '*', 'e', JSON.stringify(alert(siteA, marker)));
    await waitFor(async () => (await rejectedCount('events')) >= rejectedBefore + 2, {
      what: 'the rejections counted',
    });
    expect(screen.alerts.filter((a) => a.message === marker)).toHaveLength(1);
  });

  it('drops and counts a forged entry on the adapter stream', async () => {
    const before = await rejectedCount('socket-adapter');
    await publisherRedis.xadd(
      `${app.config.EVENT_CHANNEL_PREFIX}:socket.io`,
      '*',
      'uid',
      'forged',
      'nsp',
      '/',
      'type',
      '3',
      'data',
      '{}',
    );
    await waitFor(async () => (await rejectedCount('socket-adapter')) > before, {
      what: 'the forged stream entry counted',
    });
  });
});
