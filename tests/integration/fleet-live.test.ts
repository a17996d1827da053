/**
 * Device statuses and sensor readings reach screens coalesced: a quiet site
 * room gets its first update at once, a busy one at most one more batch per
 * FLEET_FLUSH_MS, the latest per id, and only on the screens of that site.
 * Real app, Redis event channel and Socket.IO clients.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createEventPublisher } from '../../server/realtime/event-channel';
import { CHANNEL_EVENTS, type ChannelEvent } from '../../server/realtime/channel-events';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { DeviceStatusDto } from '../../contract/devices';
import type { SensorReadingDto } from '../../contract/sensors';
import { createChannelCodec } from '../../server/security/channel-codec';
import { generateFernetKey } from '../../server/security/fernet';
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
let redis: Redis;
let publish: (event: ChannelEvent) => void;
const users: TestUser[] = [];
const sockets: Socket[] = [];

async function screen(siteId: string) {
  const user = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteId] });
  users.push(user);
  const socket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: user.cookie },
  });
  sockets.push(socket);
  const statuses: DeviceStatusDto[][] = [];
  const readings: SensorReadingDto[][] = [];
  socket.on(SERVER_EVENTS.devicesStatus, (batch: DeviceStatusDto[]) => statuses.push(batch));
  socket.on(SERVER_EVENTS.sensorReadings, (batch: SensorReadingDto[]) => readings.push(batch));
  await new Promise<void>((resolve) => socket.once(SERVER_EVENTS.snapshot, () => resolve()));
  return { statuses, readings };
}

const status = (deviceId: string, siteId: string, battery: number, at: number) => ({
  type: CHANNEL_EVENTS.deviceStatus,
  payload: {
    deviceId,
    guardId: null,
    siteId,
    battery,
    signalDbm: -70,
    signalPercent: null,
    charging: null,
    lastSeenAt: at,
  },
});

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: uniqueId('ga') });
  await createSiteWithGuard(
    pool,
    { siteId: siteB, guardId: uniqueId('gb') },
    { lat: 51.3, lon: 4.5 },
  );
  // A long interval: everything published in the test lands in one window.
  app = await startTestApp({ CHANNELS_ENCRYPTION_KEY: KEY, FLEET_FLUSH_MS: '1500' });
  redis = new Redis(urls.redisUrl);
  publish = createEventPublisher(redis, app.config.EVENT_CHANNEL_PREFIX, createLogger('silent'), {
    codec: createChannelCodec(KEY),
  });
}, 60_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.stop();
  await redis?.quit();
  await removeTestUsers(pool, users);
  await removeSite(pool, siteA);
  await removeSite(pool, siteB);
  await pool.end();
});

describe('live fleet events', () => {
  it('sends the latest status per device and reading per sensor, batched, to its site only', async () => {
    const a = await screen(siteA);
    const b = await screen(siteB);
    const t = Date.now();
    for (let i = 0; i < 10; i += 1) publish(status('dev-a1', siteA, 90 - i, t + i * 1000));
    // An older report arriving late must not undo the newer one.
    publish(status('dev-a1', siteA, 99, t - 5000));
    publish(status('dev-a2', siteA, 50, t));
    publish(status('dev-b1', siteB, 40, t));
    for (const value of [20, 21, 22]) {
      publish({
        type: CHANNEL_EVENTS.sensorReading,
        payload: {
          sensorId: 'temp-a',
          siteId: siteA,
          value,
          unit: '°C',
          readAt: t + value * 1000,
          inAlarm: false,
        },
      });
    }
    // The first update of a quiet room leaves at once (leading edge); the rest
    // of the burst waits for the window and arrives as one trailing batch.
    const a1Updates = () => a.statuses.flat().filter((s) => s.deviceId === 'dev-a1');
    await waitFor(() => a1Updates().at(-1)?.battery === 81, { what: 'dev-a1 at its latest' });
    await waitFor(() => a.readings.flat().at(-1)?.value === 22, { what: 'temp-a at its latest' });
    await waitFor(() => b.statuses.length > 0, { what: 'site B batch' });

    const allA = a.statuses.flat();
    const latestA1 = a1Updates();
    // Coalesced: the leading update and one trailing batch, not the 11 published;
    // each batch holds a device once.
    expect(latestA1.length).toBeLessThanOrEqual(2);
    for (const batch of a.statuses) {
      expect(new Set(batch.map((s) => s.deviceId)).size).toBe(batch.length);
    }
    expect(latestA1.at(-1)?.battery).toBe(81);
    expect(allA.map((s) => s.deviceId)).toContain('dev-a2');
    expect(allA.map((s) => s.deviceId)).not.toContain('dev-b1');
    expect(a.readings.flat().at(-1)).toMatchObject({ sensorId: 'temp-a', value: 22 });
    expect(b.statuses.flat().map((s) => s.deviceId)).toEqual(['dev-b1']);
    expect(b.readings).toEqual([]);
  });
});
