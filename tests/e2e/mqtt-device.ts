/** Publishing like a device, for e2e tests: the local broker's simulator user, real MQTT. */
import mqtt, { type MqttClient } from 'mqtt';
import { mqttPublisherOptions } from '../helpers/services';

export interface TestDevice {
  /** Publishes a JSON payload and resolves once the broker has it (QoS 1/2 handshake done). */
  publish(topic: string, payload: unknown, qos: 1 | 2): Promise<void>;
  close(): Promise<void>;
}

/** Connects a test device to MQTT_URL; fails loudly when the broker or credentials are missing. */
export async function connectTestDevice(name: string): Promise<TestDevice> {
  const url = process.env.MQTT_URL;
  if (!url) throw new Error('MQTT_URL is not set: run the e2e tests through `npm run test:e2e`');
  const client: MqttClient = await mqtt.connectAsync(url, {
    ...mqttPublisherOptions(),
    clientId: `e2e-${name}-${process.pid}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
  });
  client.on('error', () => undefined);
  return {
    async publish(topic, payload, qos) {
      await client.publishAsync(topic, JSON.stringify(payload), { qos });
    },
    close: () => client.endAsync(),
  };
}
