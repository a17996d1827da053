/**
 * One ingest connection with several messages in flight, against the real
 * Mosquitto: the broker keeps no more than the advertised Receive Maximum
 * unacknowledged, PUBACKs go out in the order the messages came, and a message
 * whose enqueue failed comes back (with every later one) after the connection
 * is replaced, so none is lost.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics/metrics';
import { connectIngestClient } from '../../server/mqtt/ingest-connection';
import {
  mqttPublisherOptions,
  mqttServerCredentials,
  requireServiceUrls,
  uniqueId,
} from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
/** The ingest's broker login (scripts/test.ts exports it). */
const { MQTT_USERNAME: username, MQTT_PASSWORD: password } = mqttServerCredentials();
const clients: MqttClient[] = [];
const sessions: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  // End the test's persistent sessions, so the broker stops keeping them.
  await Promise.all(
    sessions.splice(0).map(async (clientId) => {
      const c = await mqtt.connectAsync(urls.mqttUrl, {
        clientId,
        username,
        password,
        protocolVersion: 5,
        clean: true,
        properties: { sessionExpiryInterval: 0 },
      });
      await c.endAsync();
    }),
  );
});

interface Taken {
  payload: string;
  messageId: number | undefined;
  settle(error?: Error): void;
}

/** An ingest connection on `topic` whose handlers the test settles (or `auto` settles). */
async function ingest(
  clientId: string,
  topic: string,
  inFlight: number,
  auto?: (payload: string) => Error | undefined,
) {
  const taken: Taken[] = [];
  let connects = 0;
  const client = connectIngestClient({
    url: urls.mqttUrl,
    username,
    password,
    clientId,
    sessionExpiryS: 60,
    inFlight,
    filters: { [topic]: { qos: 1 } },
    onMessage: (_topic, payload, packet) =>
      new Promise((resolve, reject) => {
        const t: Taken = {
          payload: payload.toString(),
          messageId: packet.messageId,
          settle: (error) => (error ? reject(error) : resolve(undefined)),
        };
        taken.push(t);
        if (auto) setImmediate(() => t.settle(auto(t.payload)));
      }),
    onSubscribed: () => (connects += 1),
    isStopping: () => false,
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  clients.push(client);
  if (!sessions.includes(clientId)) sessions.push(clientId);
  await waitFor(() => connects === 1, { what: 'the ingest subscribed' });
  return { client, taken, connects: () => connects };
}

async function publisher(): Promise<MqttClient> {
  const c = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('in-flight-pub'),
    ...mqttPublisherOptions(),
    protocolVersion: 5,
  });
  clients.push(c);
  return c;
}

const payloads = (n: number) =>
  Array.from({ length: n }, (_, i) => `m${String(i).padStart(2, '0')}`);

/** The payload of each PUBACK the client sends (the newest message with that packet id). */
function pubackedPayloads(client: MqttClient, taken: Taken[]): string[] {
  const acked: string[] = [];
  client.on('packetsend', (p) => {
    if (p.cmd !== 'puback') return;
    const t = taken.findLast((x) => x.messageId === p.messageId);
    acked.push(t ? t.payload : `unknown-${p.messageId}`);
  });
  return acked;
}

describe('ingest connection with messages in flight', () => {
  it('has at most its window unacknowledged, and acknowledges in the order received', async () => {
    const topic = `guard/${uniqueId('g')}/gps`;
    const { client, taken } = await ingest(uniqueId('in-flight'), topic, 4);
    const acked = pubackedPayloads(client, taken);
    const before = (client.stream as Socket).bytesRead;
    const pub = await publisher();
    for (const payload of payloads(12)) await pub.publishAsync(topic, payload, { qos: 1 });

    await waitFor(() => taken.length === 4, { what: 'four messages in progress' });
    // The broker has all twelve; give it time to (wrongly) send a fifth before counting bytes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const publishBytes = 2 + 2 + topic.length + 2 + 1 + 'm00'.length;
    expect((client.stream as Socket).bytesRead - before).toBe(4 * publishBytes);

    // Settled newest first, a round at a time: each PUBACK still waits for the older ones.
    let settled = 0;
    while (settled < 12) {
      const open = taken.slice(settled);
      for (const t of [...open].reverse()) t.settle();
      settled += open.length;
      await waitFor(() => acked.length === settled && (settled === 12 || taken.length > settled), {
        what: `${settled} acknowledged and the next taken in`,
      });
    }
    expect(taken.map((t) => t.payload)).toEqual(payloads(12));
    expect(acked).toEqual(payloads(12));
  });

  it('gets a failed message and the later ones again after reconnecting; the broker keeps nothing unacknowledged', async () => {
    const topic = `guard/${uniqueId('g')}/gps`;
    const clientId = uniqueId('in-flight');
    const failed = new Set<string>();
    // m03 fails the first time it is processed, as an enqueue that gave up would.
    const { client, taken, connects } = await ingest(clientId, topic, 8, (payload) => {
      if (payload !== 'm03' || failed.has(payload)) return undefined;
      failed.add(payload);
      return new Error('enqueue gave up');
    });
    const acked = pubackedPayloads(client, taken);
    const pub = await publisher();
    for (const payload of payloads(10)) await pub.publishAsync(topic, payload, { qos: 1 });

    await waitFor(() => taken.filter((t) => t.payload === 'm03').length === 2, {
      what: 'm03 delivered again',
    });
    await waitFor(() => connects() === 2, { what: 'subscribed again' });
    // Acknowledged in order, so once this one is, every earlier message is.
    await pub.publishAsync(topic, 'barrier', { qos: 1 });
    await waitFor(() => acked.includes('barrier'), { what: 'the barrier acknowledged' });
    expect(new Set(taken.map((t) => t.payload))).toEqual(new Set([...payloads(10), 'barrier']));
    // Nothing after the failure was acknowledged on the first connection.
    const firstConnection = acked.slice(0, acked.indexOf('m03'));
    expect(firstConnection).toEqual(['m00', 'm01', 'm02']);
    // On the new connection the broker sent them again, oldest first, and each was acknowledged once.
    expect(acked.slice(3)).toEqual([...payloads(10).slice(3), 'barrier']);

    // Nothing is left unacknowledged: resumed, the session gets only what comes next.
    await client.endAsync(false);
    await pub.publishAsync(topic, 'last', { qos: 1 });
    const resumed = await ingest(clientId, topic, 8, () => undefined);
    await waitFor(() => resumed.taken.some((t) => t.payload === 'last'), {
      what: 'the last message',
    });
    expect(resumed.taken.map((t) => t.payload)).toEqual(['last']);
  });
});
