/**
 * The broker and the ingest refuse MQTT packets larger than any valid message
 * before reading them into memory, and the broker serves TLS: each on a
 * private Mosquitto rendered from deploy/mosquitto/watchfloor.conf.template.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics/metrics';
import { connectIngestClient } from '../../server/mqtt/ingest-connection';
import { MQTT_MAX_PACKET_BYTES, TOPIC_KINDS } from '../../server/mqtt/topics';
import { createPrivateMosquitto, type PrivateMosquitto } from '../helpers/private-mosquitto';
import { uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const DEVICE = 'dev-big';
const LARGEST_KIND = Math.max(...TOPIC_KINDS.map((k) => k.maxBytes));
const brokers: PrivateMosquitto[] = [];
const clients: MqttClient[] = [];

async function broker(configure?: (config: string) => string): Promise<PrivateMosquitto> {
  const b = await createPrivateMosquitto([DEVICE], { configure });
  brokers.push(b);
  await b.start();
  return b;
}

/** An alert body of exactly `bytes` bytes (JSON, valid for the alert schema up to 16 KiB). */
function alertOfSize(bytes: number, tag: string): string {
  const head = JSON.stringify({ ts: Date.now(), msgId: tag, message: '' });
  return head.replace('"message":""', `"message":"${'x'.repeat(bytes - head.length)}"`);
}

async function device(b: PrivateMosquitto, url = b.url, extra: mqtt.IClientOptions = {}) {
  const client = await mqtt.connectAsync(url, {
    clientId: uniqueId('dev'),
    username: DEVICE,
    password: b.devicePassword(DEVICE),
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...extra,
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** A subscriber as the ingest user that advertises no packet limit of its own. */
async function plainSubscriber(b: PrivateMosquitto, received: string[]): Promise<void> {
  const client = await mqtt.connectAsync(b.url, {
    clientId: uniqueId('sub'),
    ...b.credentials.ingest,
    protocolVersion: 5,
  });
  client.on('error', () => undefined);
  clients.push(client);
  client.on('message', (_topic, payload) => received.push(payload.toString()));
  await client.subscribeAsync('alert/#', { qos: 1 });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
});

afterAll(async () => {
  await Promise.all(brokers.map((b) => b.dispose()));
});

describe('MQTT packet limits', () => {
  it('sit a little above the largest kind', () => {
    expect(MQTT_MAX_PACKET_BYTES).toBeGreaterThan(LARGEST_KIND);
    expect(MQTT_MAX_PACKET_BYTES).toBeLessThanOrEqual(LARGEST_KIND + 8 * 1024);
  });

  it('the broker disconnects a device that sends an oversized packet; the largest valid message passes', async () => {
    const b = await broker();
    const received: string[] = [];
    await plainSubscriber(b, received);

    const big = await device(b);
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.publish(`alert/${DEVICE}/sos`, alertOfSize(256 * 1024, 'big'), { qos: 1 });
    await closed;

    const ok = await device(b);
    await ok.publishAsync(`alert/${DEVICE}/sos`, alertOfSize(LARGEST_KIND, 'largest'), { qos: 1 });
    await waitFor(() => received.some((p) => p.includes('"largest"')), {
      what: 'the 16 KiB alert',
    });
    expect(received.some((p) => p.includes('"big"'))).toBe(false);
  }, 30_000);

  it('the ingest advertises its limit, so the broker never sends it an oversized packet', async () => {
    // A broker without max_packet_size: only the ingest client's own limit is in play.
    const b = await broker((config) => config.replace(/^max_packet_size .*$/m, ''));
    const received: string[] = [];
    const logger = createLogger('silent');
    const ingest = connectIngestClient({
      url: b.url,
      ...b.credentials.ingest,
      clientId: uniqueId('ingest'),
      sessionExpiryS: 60,
      inFlight: 8,
      filters: { 'alert/#': { qos: 1 } },
      onMessage: async (_topic, payload) => {
        received.push(payload.toString());
      },
      onSubscribed: () => received.push('subscribed'),
      isStopping: () => false,
      logger,
      metrics: createMetrics(),
    });
    clients.push(ingest);
    await waitFor(() => received.includes('subscribed'), { what: 'the ingest subscribed' });

    const dev = await device(b);
    await dev.publishAsync(`alert/${DEVICE}/sos`, alertOfSize(256 * 1024, 'big'), { qos: 1 });
    await dev.publishAsync(`alert/${DEVICE}/sos`, alertOfSize(LARGEST_KIND, 'after'), { qos: 1 });
    await waitFor(() => received.some((p) => p.includes('"after"')), { what: 'the valid alert' });
    expect(received.some((p) => p.includes('"big"'))).toBe(false);
  }, 30_000);

  it('the broker serves TLS on the template listener', async () => {
    const b = await broker();
    const received: string[] = [];
    await plainSubscriber(b, received);
    const secure = await device(b, b.tlsUrl, { ca: readFileSync(b.caFile) });
    await secure.publishAsync(`alert/${DEVICE}/sos`, alertOfSize(200, 'over-tls'), { qos: 1 });
    await waitFor(() => received.some((p) => p.includes('"over-tls"')), {
      what: 'the TLS message',
    });
    // The certificate is checked: a client that does not trust it is refused.
    await expect(device(b, b.tlsUrl)).rejects.toThrow(/self[- ]signed|certificate/i);
  }, 30_000);
});
