/**
 * Pipelined, in-order acknowledgements on one ingest connection
 * (server/mqtt/ordered-acks.ts), against mqtt.js itself on a real socket.
 * These pin the mqtt.js behaviour the scheme relies on: if an upgrade makes
 * mqtt.js write a PUBACK on its own, or stop reading on while one is held,
 * a test here fails.
 */
import type { MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics/metrics';
import { connectIngestClient } from '../../server/mqtt/ingest-connection';
import { startScriptedBroker, type ScriptedBroker } from '../helpers/scripted-broker';
import { waitFor } from '../helpers/wait-for';

interface Handler {
  topic: string;
  payload: string;
  resolve(): void;
  reject(error: Error): void;
}

/** Lets the event loop go round `n` times (timers, I/O, immediates): no wall-clock wait. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;

afterEach(async () => {
  await client?.endAsync(true);
  await broker?.close();
  client = undefined;
  broker = undefined;
});

/** An ingest connection to a scripted broker whose message handlers the test settles one by one. */
async function connect(inFlight: number) {
  broker = await startScriptedBroker();
  const handlers: Handler[] = [];
  let connects = 0;
  const c = connectIngestClient({
    url: broker.url,
    clientId: 'ordered-acks-test',
    sessionExpiryS: 60,
    inFlight,
    filters: {},
    onMessage: (topic, payload) =>
      new Promise((resolve, reject) => {
        handlers.push({
          topic,
          payload: payload.toString(),
          resolve: () => resolve(undefined),
          reject,
        });
      }),
    onSubscribed: () => (connects += 1),
    isStopping: () => false,
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  client = c;
  await waitFor(() => connects === 1, { what: 'the client connected' });
  const b = broker;
  const handler = (payload: string) => {
    const found = handlers.find((h) => h.payload === payload);
    if (!found) throw new Error(`no handler for ${payload}`);
    return found;
  };
  /** Everything the client wrote before this call has reached the broker when it resolves. */
  let barriers = 0;
  const flush = async () => {
    // PUBACKs are written in the reactions to settled handlers: let those run first.
    await turns(1);
    const topic = `barrier/${(barriers += 1)}`;
    c.publish(topic, '', { qos: 0 });
    await waitFor(() => b.received.some((p) => p.topic === topic), { what: topic });
  };
  const acks = (cmd: 'puback' | 'pubrec' | 'pubcomp' = 'puback') =>
    b.received.filter((p) => p.cmd === cmd).map((p) => [p.connection, p.messageId]);
  const started = () => handlers.map((h) => h.payload);
  return { broker: b, client: c, handler, flush, acks, started, connects: () => connects };
}

describe('ordered acknowledgements on one ingest connection', () => {
  it('advertises its in-flight window as the MQTT 5 Receive Maximum', async () => {
    const { broker: b } = await connect(16);
    expect(b.received[0]).toMatchObject({ cmd: 'connect', receiveMaximum: 16 });
  });

  it('processes several QoS 1 messages at once and sends each PUBACK only once it and every earlier one are durable', async () => {
    const { broker: b, handler, flush, acks, started } = await connect(8);
    for (const id of [1, 2, 3])
      b.publish({ topic: 'guard/g1/gps', payload: `m${id}`, qos: 1, messageId: id });
    // mqtt.js read on past messages whose PUBACK is still held: all three are in progress.
    await waitFor(() => started().length === 3, { what: 'three messages in progress' });

    handler('m3').resolve();
    handler('m2').resolve();
    await flush();
    expect(acks()).toEqual([]); // m1 is not durable yet: nothing may be acknowledged

    handler('m1').resolve();
    await flush();
    expect(acks()).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });

  it('reads no further than the window while the oldest messages are in progress', async () => {
    const { broker: b, client: c, handler, started } = await connect(2);
    // A broker honours the Receive Maximum; this one sends past it, and the window still holds.
    for (const id of [1, 2, 3])
      b.publish({ topic: 'guard/g1/gps', payload: `m${id}`, qos: 1, messageId: id });
    await waitFor(() => started().length === 2, { what: 'two messages in progress' });
    // Once m3 is in the client process and the event loop turned, mqtt.js would have handed it over.
    await waitFor(() => (c.stream as Socket).bytesRead === b.bytesWritten(), { what: 'm3 read' });
    await turns(3);
    expect(started()).toEqual(['m1', 'm2']);

    handler('m2').resolve();
    await turns(3);
    expect(started()).toEqual(['m1', 'm2']); // m2 is done but unacknowledged: still in the window
    handler('m1').resolve();
    await waitFor(() => started().length === 3, { what: 'the third message taken in' });
  });

  it('leaves a failed message and every later one unacknowledged, and reconnects so the broker sends them again', async () => {
    const { broker: b, handler, flush, acks, started, connects } = await connect(8);
    for (const id of [1, 2, 3, 4])
      b.publish({ topic: 'guard/g1/gps', payload: `m${id}`, qos: 1, messageId: id });
    await waitFor(() => started().length === 4, { what: 'four messages in progress' });
    handler('m1').resolve();
    handler('m3').resolve();
    handler('m2').reject(new Error('enqueue gave up'));
    await waitFor(() => connects() === 2, { what: 'a new connection' });
    expect(acks()).toEqual([[0, 1]]);

    // m4 finishes after its connection closed: its PUBACK must not go out on the new one.
    handler('m4').resolve();
    for (const id of [2, 3, 4])
      b.publish({
        topic: 'guard/g1/gps',
        payload: `again-m${id}`,
        qos: 1,
        messageId: id,
        dup: true,
      });
    await waitFor(() => started().length === 7, { what: 'the redelivered messages' });
    for (const id of [2, 3, 4]) handler(`again-m${id}`).resolve();
    await flush();
    expect(acks()).toEqual([
      [0, 1],
      [1, 2],
      [1, 3],
      [1, 4],
    ]);
  });

  it('sends a QoS 2 PUBREC only once it and the earlier messages are durable, and takes QoS 0 without an acknowledgement', async () => {
    const { broker: b, handler, flush, acks, started } = await connect(8);
    b.publish({ topic: 'guard/g1/gps', payload: 'q1', qos: 1, messageId: 1 });
    b.publish({ topic: 'alert/d1/sos', payload: 'q2', qos: 2, messageId: 2 });
    b.publish({ topic: 'system/s1/health', payload: 'q0', qos: 0 });
    await waitFor(() => started().length === 2, { what: 'the QoS 1 and 2 messages in progress' });

    handler('q2').resolve();
    await flush();
    expect(acks('pubrec')).toEqual([]); // q1, received first, is not durable yet
    // QoS 2 is not pipelined: nothing past it is read until its PUBREC.
    expect(started()).toEqual(['q1', 'q2']);

    handler('q1').resolve();
    await waitFor(() => started().includes('q0'), { what: 'the QoS 0 message taken in' });
    await flush();
    expect(acks()).toEqual([[0, 1]]);
    expect(acks('pubrec')).toEqual([[0, 2]]);

    handler('q0').resolve();
    b.pubrel(2);
    await waitFor(() => acks('pubcomp').length === 1, { what: 'the PUBCOMP' });
    expect(acks('pubcomp')).toEqual([[0, 2]]);
    expect(started()).toEqual(['q1', 'q2', 'q0']); // the PUBREL does not process it again
  });
});
