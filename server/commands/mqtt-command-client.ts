/**
 * The command publisher's own MQTT connection (the broker user that may write
 * command/# only). A publish fails at once while the connection is down, and
 * is taken back out of mqtt.js's outgoing store when it is abandoned, so a
 * command that was given up on is not sent later behind our back by the
 * client's reconnect: the job's retry is the only way it goes out again.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { SERVER_MQTT_OPTIONS } from '../mqtt/client-options';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export class BrokerUnavailableError extends AppError {
  constructor() {
    super('BROKER_UNAVAILABLE', 'not connected to the MQTT broker', 503);
    this.name = 'BrokerUnavailableError';
  }
}

export interface CommandClientOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  logger: Logger;
}

export interface CommandClient {
  isConnected(): boolean;
  /** QoS 1 publish; resolves on the broker's PUBACK. Aborting drops it from the outgoing store. */
  publish(topic: string, message: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Connects (and keeps reconnecting) in the background; never throws on a broker outage. */
export function createCommandClient(options: CommandClientOptions): CommandClient {
  const { logger } = options;
  const client: MqttClient = mqtt.connect(options.url, {
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    // MQTT 5: a publish the ACL refuses comes back as an error PUBACK instead of vanishing.
    ...SERVER_MQTT_OPTIONS,
    clean: true,
    reconnectPeriod: 500,
    connectTimeout: 5_000,
    queueQoSZero: false,
  });
  let down = false;
  client.on('connect', () => {
    if (down) logger.info('command publisher reconnected to the broker');
    down = false;
  });
  // Once per outage: a reconnect loop against a dead broker errors every reconnectPeriod.
  client.on('error', (err) => {
    if (!down) logger.warn({ err: err.message }, 'command publisher mqtt error');
  });
  client.on('close', () => {
    if (!down) logger.warn('command publisher lost the broker');
    down = true;
  });

  return {
    isConnected: () => client.connected,
    publish(topic, message, signal) {
      if (!client.connected) return Promise.reject(new BrokerUnavailableError());
      return new Promise<void>((resolve, reject) => {
        client.publish(topic, message, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
        const messageId = client.getLastMessageId();
        signal?.addEventListener(
          'abort',
          () => {
            try {
              client.removeOutgoingMessage(messageId);
            } catch {
              // Already acknowledged or gone.
            }
            reject(signal.reason instanceof Error ? signal.reason : new Error('publish abandoned'));
          },
          { once: true },
        );
      });
    },
    close: () => client.endAsync(true),
  };
}
