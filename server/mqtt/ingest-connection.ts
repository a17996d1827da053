/**
 * One ingest MQTT connection: a persistent session (clean: false, stable
 * client id) that subscribes again on every connect, reconnects with
 * exponential backoff and jitter, processes up to `inFlight` messages at once
 * and acknowledges a QoS 1/2 message only when `onMessage` resolved for it and
 * every earlier message of the connection (PUBACK / PUBREC, in order:
 * ./ordered-acks.ts). A rejection leaves that message and the later ones
 * unacknowledged and replaces the connection, so the broker delivers them again.
 */
import mqtt, { type IClientSubscribeOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { backoffDelay } from '../backoff';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { SERVER_MQTT_OPTIONS } from './client-options';
import { orderAcks } from './ordered-acks';
import { MQTT_MAX_PACKET_BYTES } from './topics';

export interface IngestConnectionOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** Seconds the broker keeps the session after a disconnect. */
  sessionExpiryS: number;
  /** Messages processed at once; advertised as the MQTT 5 Receive Maximum (MQTT_INGEST_IN_FLIGHT). */
  inFlight: number;
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
    ...SERVER_MQTT_OPTIONS,
    // A persistent session keeps QoS 1/2 messages for us while we are away.
    clean: false,
    properties: {
      sessionExpiryInterval: options.sessionExpiryS,
      // The broker then never sends us a packet larger than any valid message
      // (it drops it instead), so an oversized one never reaches our memory.
      maximumPacketSize: MQTT_MAX_PACKET_BYTES,
      // The broker never has more of our messages unacknowledged than we process at once.
      receiveMaximum: options.inFlight,
    },
    // We subscribe on every connect ourselves: after a broker restart the
    // session may not come back, and then mqtt.js's resubscribe is not enough.
    resubscribe: false,
    reconnectPeriod: 250,
    connectTimeout: 10_000,
  });
  orderAcks(client, {
    inFlight: options.inFlight,
    onMessage: options.onMessage,
    onFailure: (err) => {
      // Stopping: the connection ends anyway, and what is unacknowledged comes back later.
      if (options.isStopping()) return;
      logger.error(
        { clientId, err: (err as Error).message },
        'mqtt message failed: reconnecting so the broker redelivers it and those after it',
      );
      // end() first: the PUBACKs already written still reach the broker (fewer redeliveries).
      const stream = client.stream;
      stream.end();
      setTimeout(() => stream.destroy(), 2_000).unref();
    },
  });

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
