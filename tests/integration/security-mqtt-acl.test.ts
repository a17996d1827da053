/**
 * The broker's passwords and ACLs (deploy/mosquitto/acl) against the real
 * Mosquitto the stack runs: devices publish only under their own id, read only
 * their own commands, and anonymous clients are refused.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePassword } from '../../scripts/stack/mqtt-credentials';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();

function deviceSecret(): string {
  const secret = process.env.MQTT_DEVICE_SECRET;
  if (!secret)
    throw new Error('MQTT_DEVICE_SECRET is not set: run through `npm test` (scripts/test.ts)');
  return secret;
}

function connectAs(username: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId(username),
    username,
    password,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
}

describe('Mosquitto ACLs', () => {
  let guard7: MqttClient;
  let watcher: MqttClient;
  const received: string[] = [];

  beforeAll(async () => {
    guard7 = await connectAs('guard-7', devicePassword(deviceSecret(), 'guard-7'));
    // The ingest user may read every root: it watches what actually gets through.
    watcher = await connectAs(process.env.MQTT_USERNAME ?? '', process.env.MQTT_PASSWORD ?? '');
    watcher.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
    await watcher.subscribeAsync(['guard/guard-7/#', 'guard/guard-8/#'], { qos: 1 });
  });

  afterAll(async () => {
    await guard7?.endAsync();
    await watcher?.endAsync();
  });

  it('does not deliver what guard-7 publishes to guard/guard-8/gps, and says not authorized', async () => {
    const marker = uniqueId('forged');
    const refused = await guard7.publishAsync('guard/guard-8/gps', marker, { qos: 1 }).then(
      (packet) => (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0,
      (error: { code?: number }) => error.code ?? -1,
    );
    // Own topic afterwards: messages of one client arrive in order, so once this
    // one is seen the forged one would have been seen too.
    const own = uniqueId('own');
    await guard7.publishAsync('guard/guard-7/gps', own, { qos: 1 });
    await new Promise<void>((resolve) => {
      const check = () =>
        received.some((r) => r.includes(own)) ? resolve() : setTimeout(check, 50);
      check();
    });
    expect(received.filter((r) => r.includes(marker))).toEqual([]);
    // MQTT 5 PUBACK reason 0x87 "Not authorized" (Mosquitto 2.0).
    expect(refused).toBe(0x87);
  });

  it('delivers a device only its own commands', async () => {
    // Mosquitto 2.0 grants a wildcard SUBSCRIBE and applies "read" to each message delivered.
    const commands = await connectAs(
      process.env.MQTT_COMMAND_USERNAME ?? '',
      process.env.MQTT_COMMAND_PASSWORD ?? '',
    );
    const got: string[] = [];
    guard7.on('message', (topic) => got.push(topic));
    try {
      await guard7.subscribeAsync(['command/guard-7/#', 'command/guard-8/#'], { qos: 1 });
      await commands.publishAsync('command/guard-8/ping', 'x', { qos: 1 });
      await commands.publishAsync('command/guard-7/ping', 'x', { qos: 1 });
      await new Promise<void>((resolve) => {
        const check = () =>
          got.includes('command/guard-7/ping') ? resolve() : setTimeout(check, 50);
        check();
      });
      expect(got).toEqual(['command/guard-7/ping']);
    } finally {
      await commands.endAsync();
    }
  });

  it('refuses an anonymous client', async () => {
    await expect(
      mqtt.connectAsync(urls.mqttUrl, {
        clientId: uniqueId('anon'),
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      }),
    ).rejects.toThrow();
  });

  it("refuses a device with another device's password", async () => {
    await expect(connectAs('guard-8', devicePassword(deviceSecret(), 'guard-7'))).rejects.toThrow();
  });
});
