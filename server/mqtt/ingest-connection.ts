/**
 * One ingest MQTT connection: a persistent session (clean: false, stable
 * client id) that subscribes again on every connect, reconnects with
 * exponential backoff and jitter, and acknowledges a QoS 1/2 message only when
 * `onMessage` resolved (before PUBACK / PUBREC). A rejection leaves the message
 * unacknowledged, and the broker delivers it again after a reconnect.
 */
import mqtt, { type IClientSubscribeOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { backoffDelay } from '../backoff';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { MQTT_MAX_PACKET_BYTES } from './topics';

export interface IngestConnectionOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** Seconds the broker keeps the session after a disconnect. */
  sessionExpiryS: number;
  /** Topic filter -> QoS, subscribed on every connect. */
  filters: Record<string, Pick<IClientSubscribeOptions, 'qos'>>;
  onMessage(topic: string, payload: Buffer, packet: IPublishPacket): Promise<unknown>;
  /** After every connect, once the broker granted the subscriptions. */
  onSubscribed?(sessionPresent: boolean): void;
  isStopping(): boolean;
  logger: Logger;
  metrics: Metrics;
}

/** Connects; the caller ends the client. */
export function connectIngestClient(options: IngestConnectionOptions): MqttClient {
  const { clientId, logger, metrics } = options;
  let failures = 0;
  const client = mqtt.connect(options.url, {
    clientId,
    username: options.username,
    password: options.password,
    protocolVersion: 5,
    // A persistent session keeps QoS 1/2 messages for us while we are away.
    clean: false,
    // The broker then never sends us a packet larger than any valid message
    // (it drops it instead), so an oversized one never reaches our memory.
    properties: {
      sessionExpiryInterval: options.sessionExpiryS,
      maximumPacketSize: MQTT_MAX_PACKET_BYTES,
    },
    // We subscribe on every connect ourselves: after a broker restart the
    // session may not come back, and then mqtt.js's resubscribe is not enough.
    resubscribe: false,
    reconnectPeriod: 250,
    connectTimeout: 10_000,
    customHandleAcks: (topic, payload, packet, ack) => {
      options.onMessage(topic, payload, packet as IPublishPacket).then(() => ack(0), ack);
    },
  });

  client.handleMessage = (packet, done) => {
    // QoS 1 and 2 were handled in customHandleAcks, before their acknowledgement; QoS 0 has none.
    if (packet.qos !== 0) return done();
    options.onMessage(packet.topic, packet.payload as Buffer, packet).then(() => done(), done);
  };

  client.on('connect', (connack) => {
    failures = 0;
    client.options.reconnectPeriod = 250;
    metrics.mqttConnected.inc();
    logger.info({ clientId, sessionPresent: connack.sessionPresent }, 'mqtt connected');
    // No filters: a takeover resuming a dead instance's session only to drain it.
    if (Object.keys(options.filters).length === 0)
      return options.onSubscribed?.(connack.sessionPresent ?? false);
    client.subscribe(options.filters, (err) => {
      if (err) logger.error({ clientId, err: err.message }, 'mqtt subscribe failed');
      else options.onSubscribed?.(connack.sessionPresent ?? false);
    });
  });
  client.on('close', () => {
    if (options.isStopping()) return;
    failures++;
    client.options.reconnectPeriod = backoffDelay(failures, { baseMs: 250, maxMs: 10_000 });
  });
  client.on('offline', () => metrics.mqttConnectionFailed.inc());
  client.on('error', (err) => {
    if (!options.isStopping()) logger.warn({ clientId, err: err.message }, 'mqtt client error');
  });
  return client;
}
