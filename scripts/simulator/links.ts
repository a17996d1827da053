/**
 * The simulator's broker connections, in one of two ways:
 *
 * - 'device' (the demo and e2e tests): one connection per simulated device,
 *   its id as username and its derived password (devicePassword with
 *   MQTT_DEVICE_SECRET), so the broker's ACL is exercised exactly as for real
 *   devices: each publishes only under its own id and reads only its own
 *   command topic. Only this way are commands answered.
 * - 'bulk' (benchmarks, thousands of invented devices): a few connections as
 *   the local-only `watchfloor-simulator` user, who may publish under any id.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { commandSubscription } from '../../contract/topics';
import { devicePassword } from '../stack/mqtt-credentials';

export type SimulatorAuth =
  | { mode: 'device'; deviceSecret: string }
  | { mode: 'bulk'; username?: string; password?: string; connections: number };

export interface SimulatorLinks {
  /** The connection a device publishes on. */
  clientFor(deviceId: string): MqttClient;
  close(): Promise<void>;
}

export interface LinkOptions {
  url: string;
  auth: SimulatorAuth;
  runId: string;
  deviceIds: readonly string[];
  /** Devices that take commands: they subscribe to their command topic. */
  commandTakers: ReadonlySet<string>;
  onCommand(deviceId: string, topic: string, payload: Buffer): void;
}

const BASE = { protocolVersion: 5, clean: true, reconnectPeriod: 1000 } as const;

/** Opens every connection; rejects naming the device whose credentials the broker refused. */
export async function openSimulatorLinks(options: LinkOptions): Promise<SimulatorLinks> {
  const { auth } = options;
  if (auth.mode === 'bulk') {
    const clients = await Promise.all(
      Array.from({ length: auth.connections }, (_, i) =>
        mqtt.connectAsync(options.url, {
          ...BASE,
          clientId: `watchfloor-sim-${options.runId}-${i}`,
          username: auth.username,
          password: auth.password,
        }),
      ),
    );
    for (const client of clients) client.on('error', () => undefined);
    let next = 0;
    return {
      clientFor: () => clients[next++ % clients.length]!,
      close: async () => void (await Promise.all(clients.map((c) => c.endAsync()))),
    };
  }

  const byDevice = new Map<string, MqttClient>();
  const connectDevice = async (deviceId: string) => {
    const client = await mqtt
      .connectAsync(options.url, {
        ...BASE,
        clientId: `wf-sim-${options.runId}-${deviceId}`.slice(0, 100),
        username: deviceId,
        password: devicePassword(auth.deviceSecret, deviceId),
      })
      .catch((error: Error) => {
        throw new Error(
          `device ${deviceId} could not connect (${error.message}): is it in the broker's password file ` +
            'with the MQTT_DEVICE_SECRET in use? The local stack provisions the demo devices; ' +
            'use --auth bulk for invented devices at benchmark scale',
        );
      });
    client.on('error', () => undefined);
    byDevice.set(deviceId, client);
    if (!options.commandTakers.has(deviceId)) return;
    client.on('message', (topic, payload) => options.onCommand(deviceId, topic, payload));
    // clean: true drops subscriptions with the session: subscribe again on every reconnect.
    const subscribe = () => client.subscribeAsync(commandSubscription(deviceId), { qos: 1 });
    client.on('connect', () => void subscribe().catch(() => undefined));
    const [granted] = await subscribe();
    if (granted && granted.qos > 2) {
      throw new Error(`device ${deviceId} may not read ${commandSubscription(deviceId)} (ACL)`);
    }
  };
  try {
    await Promise.all(options.deviceIds.map(connectDevice));
  } catch (error) {
    await Promise.all([...byDevice.values()].map((c) => c.endAsync(true)));
    throw error;
  }
  return {
    clientFor(deviceId) {
      const client = byDevice.get(deviceId);
      if (!client) throw new Error(`no connection for device ${deviceId}`);
      return client;
    },
    close: async () => void (await Promise.all([...byDevice.values()].map((c) => c.endAsync()))),
  };
}
