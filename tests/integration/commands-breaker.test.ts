/**
 * Device commands through a broker outage, against a private Mosquitto (so the
 * shared one keeps running): with the broker stopped, 20 commands are sent;
 * the breaker opens at its threshold and every command waits in its queue;
 * with the broker back, the breaker closes and a real MQTT subscriber (the
 * device, with its own broker user and the committed ACL) gets each command
 * exactly once. The device's reply then marks a command acknowledged.
 */
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as queueStatsRoute } from '../../app/api/admin/queues/route';
import { POST as sendCommandRoute } from '../../app/api/commands/route';
import type { HealthReport } from '../../server/http/health';
import { webContext } from '../../server/http/web-context';
import { routeFor } from '../../server/queues/routes';
import type { BreakerDto, CommandDto } from '../../contract/commands';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { createPrivateMosquitto, type PrivateMosquitto } from '../helpers/private-mosquitto';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const ORIGIN = 'http://watchfloor.test';
const THRESHOLD = 3;
const COMMANDS = 20;
const deviceId = uniqueId('dev').replace(/-/g, '_');

let broker: PrivateMosquitto;
let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let device: MqttClient;
/** Every command message the device got, in order of arrival. */
const received: { topic: string; commandId: string }[] = [];

function request(path: string, init: { method?: string; body?: unknown } = {}) {
  const headers = new Headers({ host: 'watchfloor.test', origin: ORIGIN, cookie: admin.cookie });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return new Request(`${ORIGIN}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function sendCommand(text: string): Promise<CommandDto> {
  const response = await sendCommandRoute(
    request('/api/commands', {
      method: 'POST',
      body: { type: 'message', target: { kind: 'device', id: deviceId }, text },
    }),
  );
  expect(response.status).toBe(202);
  return ((await response.json()) as { command: CommandDto }).command;
}

async function breaker(): Promise<BreakerDto | undefined> {
  const response = await queueStatsRoute(request('/api/admin/queues'));
  const body = (await response.json()) as { breakers: BreakerDto[] };
  return body.breakers.find((b) => b.name === 'mqtt_commands');
}

async function statuses(ids: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    `SELECT status::text, count(*)::int AS n FROM device_commands WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await pool.query(`INSERT INTO devices (id, updated_at) VALUES ($1, now())`, [deviceId]);
  broker = await createPrivateMosquitto([deviceId]);
  await broker.start();
  // The device keeps a persistent session, so commands published while it reconnects wait for it.
  device = await mqtt.connectAsync(broker.url, {
    clientId: `wft-device-${deviceId}`,
    username: deviceId,
    password: broker.devicePassword(deviceId),
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 200,
  });
  device.on('error', () => undefined);
  device.on('message', (topic, payload) => {
    received.push({
      topic,
      commandId: (JSON.parse(payload.toString()) as { commandId: string }).commandId,
    });
  });
  // Subscribe on every connect too: the session may not survive the restart (DESIGN.md).
  device.on('connect', () => void device.subscribeAsync(`command/${deviceId}/#`, { qos: 1 }));
  await device.subscribeAsync(`command/${deviceId}/#`, { qos: 1 });
  app = await startTestApp({
    ...broker.appEnv(),
    COMMAND_BREAKER_FAILURES: String(THRESHOLD),
    COMMAND_BREAKER_HALF_OPEN_MS: '300',
    COMMAND_BREAKER_MAX_HALF_OPEN_MS: '1000',
    COMMAND_RETRY_DELAY_MS: '150',
    COMMAND_PUBLISH_TIMEOUT_MS: '1000',
  });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
});

afterAll(async () => {
  await device?.endAsync(true);
  await app?.stop();
  await broker?.dispose();
  await pool.query(`DELETE FROM device_commands WHERE target_id = $1`, [deviceId]);
  await pool.query(`DELETE FROM devices WHERE id = $1`, [deviceId]);
  await removeTestUsers(pool, [admin]);
  await pool.end();
});

describe('device commands through a broker outage', () => {
  const ids: string[] = [];

  it('keeps 20 commands waiting while the broker is down and opens the breaker at its threshold', async () => {
    await broker.stop();
    for (let i = 0; i < COMMANDS; i++) ids.push((await sendCommand(`outage ${i}`)).id);

    const open = await waitFor(
      async () => {
        const b = await breaker();
        return b?.state === 'open' ? b : undefined;
      },
      { what: 'the breaker to open' },
    );
    expect(open.failuresToOpen).toBe(THRESHOLD);

    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/watchfloor_command_breaker_opened_total [1-9]/);
    expect(metrics).toMatch(/watchfloor_command_breaker_state 1\b/);
    // The breaker's state is in the body (this app's ingest lost the broker too, so it is
    // down here; tests/integration/health-breaker.test.ts covers a node whose only trouble is it).
    const health = (await (await fetch(`${app.baseUrl}/healthz/details`)).json()) as HealthReport;
    expect(health.advisories['worker.commandBreaker']).toEqual({ state: 'open', degraded: true });

    // Not one command failed or was dropped: every row is queued and every job still waits.
    expect(await statuses(ids)).toEqual({ queued: COMMANDS });
    expect(await jobsOfCommandsQueue()).toBe(COMMANDS);
    expect(received).toEqual([]);
  });

  it('closes the breaker when the broker is back and delivers each command exactly once', async () => {
    await broker.start();
    await waitFor(async () => (await statuses(ids)).sent === COMMANDS, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'all 20 commands sent',
    });
    await waitFor(async () => (await breaker())?.state === 'closed', {
      what: 'the breaker to close',
    });
    const health = (await (await fetch(`${app.baseUrl}/healthz/details`)).json()) as HealthReport;
    expect(health.advisories['worker.commandBreaker']).toEqual({
      state: 'closed',
      degraded: false,
    });

    // A sentinel sent after all 20: once it arrives, anything sent before it has arrived too.
    const sentinel = await sendCommand('sentinel');
    await waitFor(() => received.some((m) => m.commandId === sentinel.id), {
      timeoutMs: 30_000,
      what: 'the sentinel command at the device',
    });
    const outage = received.filter((m) => ids.includes(m.commandId));
    expect(outage).toHaveLength(COMMANDS);
    expect(new Set(outage.map((m) => m.commandId)).size).toBe(COMMANDS);
    expect(outage.every((m) => m.topic === `command/${deviceId}/message`)).toBe(true);
  });

  it('marks a command acknowledged when the device replies on its reply topic', async () => {
    const id = ids[0]!;
    await device.publishAsync(
      `device/${deviceId}/command_ack`,
      JSON.stringify({ commandId: id, result: 'done', ts: Date.now() }),
      { qos: 1 },
    );
    await waitFor(async () => (await statuses([id])).acknowledged === 1, {
      what: 'the command acknowledged',
    });
  });
});

/** Jobs still in publish_mqtt's queue (waiting, prioritized, delayed or active). */
async function jobsOfCommandsQueue(): Promise<number> {
  const queue = webContext().admin.queues.queue(routeFor('publish_mqtt').queue);
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
