/**
 * MQTT_BROKER_KIND=mqtt5-cluster (EMQX, HiveMQ, VerneMQ keep shared
 * subscriptions across a node's restart): the ingest runs without the restart
 * sentinel, opens only its group's sessions, and every message still arrives
 * once. Run against the project's Mosquitto, the only broker here: what it
 * shows is Watchfloor's side of the switch, not a cluster's behaviour.
 */
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SUBSCRIBED } from '../../server/mqtt/subscriber';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';
import { slotClientIdPrefix } from '../../server/mqtt/ingest-slots';

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');
let app: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  app = await startTestApp({ MQTT_BROKER_KIND: 'mqtt5-cluster', ROLES: 'ingest,worker' });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  await waitFor(() => app.logs.some((l) => l.msg === GROUP_SUBSCRIBED), {
    what: 'the ingest group subscribed',
  });
});

afterAll(async () => {
  await publisher?.endAsync();
  await app?.stop();
  if (pool) {
    await removeSite(pool, siteId);
    await pool.end();
  }
});

describe('MQTT_BROKER_KIND=mqtt5-cluster', () => {
  it('runs the ingest without the restart sentinel and stores each message once', async () => {
    expect(app.config.MQTT_INGEST_SENTINEL).toBe(false);
    const connected = app.logs.filter((l) => l.msg === 'mqtt connected').map((l) => l.clientId);
    // The ids of the instance slot this ingest leased (server/mqtt/ingest-slots.ts).
    const slot = Number(/-s(\d+)-/.exec(String(connected[0]))?.[1]);
    const prefix = slotClientIdPrefix(app.config.MQTT_CLIENT_ID, slot);
    // Two bulk and two critical connections, and nothing else.
    expect(connected.sort()).toEqual(
      [`${prefix}-0`, `${prefix}-1`, `${prefix}-critical-0`, `${prefix}-critical-1`].sort(),
    );

    const topic = `guard/${guardId}/gps`;
    const published = 20;
    for (let i = 0; i < published; i++) {
      const payload = JSON.stringify({
        lat: 51.2206 + i * 1e-5,
        lon: 4.4026,
        accuracy: 5,
        ts: Date.now() - 1000 + i,
        msgId: uniqueId(`m${i}`),
      });
      await publisher.publishAsync(topic, payload, { qos: 1 });
    }
    const stored = async () =>
      (
        await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM guard_positions WHERE guard_id = $1',
          [guardId],
        )
      ).rows[0]!.n;
    await waitFor(async () => (await stored()) >= published, {
      what: 'every fix stored',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    // A moment for anything late or doubled to land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stored()).toBe(published);
  });
});
