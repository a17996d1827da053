/**
 * The simulator against a private Mosquitto with the committed ACL and one
 * broker user per simulated device (as the local stack provisions the demo):
 * every device publishes as itself, a guard's phone answers a locate command
 * with a fresh fix and an acknowledgement naming the command, and a device the
 * broker does not know stops the start with a message naming it.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandAckPayload, commandMessagePayload } from '../../server/mqtt/payloads';
import { commandTopic } from '../../contract/topics';
import { parseTopic } from '../../server/mqtt/topics';
import type { SiteDto } from '../../contract/guards';
import { DEMO_SITES } from '../../prisma/seed-data';
import { simulatedDeviceIds } from '../../scripts/simulator/devices';
import { startSimulator } from '../../scripts/simulator/simulator';
import { createPrivateMosquitto, type PrivateMosquitto } from '../helpers/private-mosquitto';
import { waitFor } from '../helpers/wait-for';

const sites = DEMO_SITES as unknown as SiteDto[];
const guards = [
  { id: 'sim-t-guard-1', siteId: sites[0]!.id },
  { id: 'sim-t-guard-2', siteId: sites[1]!.id },
];
const devices = simulatedDeviceIds(
  sites.map((s) => s.id),
  guards.map((g) => g.id),
);

let broker: PrivateMosquitto;
let observer: MqttClient;
let commander: MqttClient;
let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
/** Every message the server's ingest user would see: [topic, payload]. */
const seen: [string, string][] = [];

beforeAll(async () => {
  broker = await createPrivateMosquitto(devices);
  await broker.start();
  const { ingest, commands } = broker.credentials;
  observer = await mqtt.connectAsync(broker.url, { ...ingest, clientId: 'sim-test-observer' });
  observer.on('message', (topic, payload) => seen.push([topic, payload.toString()]));
  await observer.subscribeAsync(['guard/#', 'device/#', 'sensor/#', 'alert/#', 'system/#'], {
    qos: 1,
  });
  commander = await mqtt.connectAsync(broker.url, { ...commands, clientId: 'sim-test-commands' });
  sim = await startSimulator({
    mqttUrl: broker.url,
    auth: { mode: 'device', deviceSecret: broker.credentials.deviceSecret },
    sites,
    knownGuards: guards,
    guards: guards.length,
    rate: 2,
    qos: 1,
    mix: 'realistic',
    alertEverySeconds: 3600,
    garbagePerSecond: 1,
  });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  await observer?.endAsync(true);
  await commander?.endAsync(true);
  await broker?.dispose();
});

describe('simulator with per-device broker users', () => {
  it('publishes from every kind of device, each under its own id, with nothing refused', async () => {
    const ids = () => new Set(seen.map(([topic]) => topic.split('/')[1]));
    await waitFor(() => guards.every((g) => ids().has(g.id)) && ids().has('sim-faulty-1'), {
      timeoutMs: 20_000,
      what: 'fixes from both guards and the faulty device',
    });
    expect([...ids()].every((id) => devices.includes(id!))).toBe(true);
    expect(sim!.stats().failed).toBe(0);
  });

  it("answers a locate on the guard's command topic with a fresh fix and an acknowledgement", async () => {
    const guardId = guards[0]!.id;
    const commandId = randomUUID();
    const message = commandMessagePayload.parse({
      commandId,
      type: 'locate',
      issuedAt: new Date().toISOString(),
    });
    const before = seen.length;
    await commander.publishAsync(
      commandTopic({ targetId: guardId, type: 'locate' }),
      JSON.stringify(message),
      {
        qos: 1,
      },
    );
    const ack = await waitFor(
      () =>
        seen
          .slice(before)
          .find(
            ([topic, body]) =>
              parseTopic(topic)?.kind.kind === 'command_ack' && body.includes(commandId),
          ),
      { timeoutMs: 10_000, what: 'the command acknowledgement' },
    );
    expect(ack[0]).toBe(`device/${guardId}/command_ack`);
    expect(commandAckPayload.parse(JSON.parse(ack[1]))).toMatchObject({
      commandId,
      result: 'done',
    });
    // The fresh fix goes out before the acknowledgement.
    const ackIndex = seen.indexOf(ack);
    expect(seen.slice(before, ackIndex).some(([topic]) => topic === `guard/${guardId}/gps`)).toBe(
      true,
    );
    expect(sim!.stats().commandsAnswered).toBeGreaterThanOrEqual(1);
  });

  it('refuses to start a device the broker does not know, naming it', async () => {
    await expect(
      startSimulator({
        mqttUrl: broker.url,
        auth: { mode: 'device', deviceSecret: broker.credentials.deviceSecret },
        sites,
        knownGuards: [{ id: 'sim-t-unprovisioned', siteId: sites[0]!.id }],
        guards: 1,
        rate: 1,
        qos: 1,
        mix: 'gps',
      }),
    ).rejects.toThrow(/sim-t-unprovisioned could not connect/);
  });
});
