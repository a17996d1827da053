/**
 * The ingest subscriber: several MQTT connections in one shared-subscription
 * group. mqtt.js handles a connection's next message only after the previous
 * one's handler finished, and we acknowledge only after the job is in Redis,
 * so parallel connections are what keeps throughput up.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { backoffDelay } from '../backoff';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { SUBSCRIPTIONS } from './topics';

export interface SubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  clientIdPrefix: string;
  connections: number;
  shareGroup: string;
  /** Resolves when the message may be acknowledged; rejects to leave it unacknowledged. */
  onMessage(topic: string, payload: Buffer): Promise<unknown>;
  logger: Logger;
  metrics: Metrics;
}

/** Connects the group; stop() stops taking messages and waits for those in flight. */
export function startSubscriber(options: SubscriberOptions) {
  const { logger, metrics } = options;
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  function track(topic: string, payload: Buffer): Promise<unknown> {
    if (stopping) return Promise.reject(new Error('stopping: left unacknowledged'));
    const work = options.onMessage(topic, payload);
    inFlight.add(work);
    void work.catch(() => undefined).finally(() => inFlight.delete(work));
    return work;
  }

  const clients: MqttClient[] = Array.from({ length: options.connections }, (_, index) => {
    const clientId = `${options.clientIdPrefix}-${index}`;
    const client = mqtt.connect(options.url, {
      clientId,
      username: options.username,
      password: options.password,
      protocolVersion: 5,
      // A persistent session keeps QoS 1/2 messages for us while we are away.
      clean: false,
      properties: { sessionExpiryInterval: 24 * 3600 },
      // We subscribe on every connect ourselves: after a broker restart the
      // session may not come back, and then mqtt.js's resubscribe is not enough.
      resubscribe: false,
      reconnectPeriod: 500,
      connectTimeout: 10_000,
      // Called before PUBACK (QoS 1) and before PUBREC (QoS 2): acknowledge only
      // once the job is durably in Redis. An error leaves the message
      // unacknowledged, and the broker delivers it again after a reconnect.
      customHandleAcks: (topic, payload, _packet, ack) => {
        track(topic, payload).then(() => ack(0), ack);
      },
    });
    let failures = 0;

    client.handleMessage = (packet, done) => {
      // QoS 1 and 2 were handled in customHandleAcks, before their acknowledgement; QoS 0 has none.
      if (packet.qos !== 0) return done();
      track(packet.topic, packet.payload as Buffer).then(() => done(), done);
    };

    client.on('connect', (connack) => {
      failures = 0;
      client.options.reconnectPeriod = 500;
      metrics.mqttConnected.inc();
      logger.info({ clientId, sessionPresent: connack.sessionPresent }, 'mqtt connected');
      const filters = Object.fromEntries(
        SUBSCRIPTIONS.map((s) => [`$share/${options.shareGroup}/${s.filter}`, { qos: s.qos }]),
      );
      client.subscribe(filters, (err) => {
        if (err) logger.error({ clientId, err: err.message }, 'mqtt subscribe failed');
      });
    });
    client.on('close', () => {
      if (stopping) return;
      failures++;
      // Exponential backoff with jitter between reconnect attempts.
      client.options.reconnectPeriod = backoffDelay(failures, { baseMs: 250, maxMs: 10_000 });
    });
    client.on('offline', () => metrics.mqttConnectionFailed.inc());
    client.on('error', (err) => {
      if (!stopping) logger.warn({ clientId, err: err.message }, 'mqtt client error');
    });
    return client;
  });

  return {
    clients,
    /** True when every connection of the group is up. */
    isConnected: () => clients.every((c) => c.connected),
    async stop(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all(clients.map((c) => c.endAsync(false)));
    },
  };
}

export type Subscriber = ReturnType<typeof startSubscriber>;
