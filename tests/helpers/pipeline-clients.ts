/**
 * The two ends of the pipeline a test watches: a publisher on the shared
 * broker (the local-only simulator user, which may write under any id) and an
 * admin's Socket.IO connection recording every alert pushed to screens.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import type { AlertDto } from '../../contract/alerts';
import type { TestApp } from './in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from './services';
import { createTestUser, type TestUser } from './sessions';

/** Connects an MQTT 5 publisher that may publish under any device id. */
export function connectPublisher(): Promise<MqttClient> {
  return mqtt.connectAsync(requireServiceUrls().mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
}

export interface AlertWatcher {
  socket: Socket<ServerToClientEvents>;
  admin: TestUser;
  /** Every alert pushed to this admin, with the time it arrived. */
  seen: { alert: AlertDto; at: number }[];
}

/** Signs in a new admin over Socket.IO and resolves once its snapshot arrived. */
export async function watchAlertsAsAdmin(app: TestApp, pool: pg.Pool): Promise<AlertWatcher> {
  const admin = await createTestUser(pool, app.config, { role: 'admin' });
  const socket: Socket<ServerToClientEvents> = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie: admin.cookie },
  });
  const seen: AlertWatcher['seen'] = [];
  socket.on(SERVER_EVENTS.alert, (alert) => seen.push({ alert, at: Date.now() }));
  await new Promise((resolve) => socket.once(SERVER_EVENTS.snapshot, resolve));
  return { socket, admin, seen };
}
