/**
 * Broker credentials of the local stack, generated once into
 * .data/mosquitto/credentials.json (mode 0600) and written to Mosquitto's
 * password file (hashed by mosquitto_passwd -U) on every start:
 *
 * - watchfloor-ingest: the server's subscribers (MQTT_USERNAME/MQTT_PASSWORD);
 * - watchfloor-commands: the command publisher (MQTT_COMMAND_USERNAME/...);
 * - watchfloor-simulator: local only, never in deploy/: benchmarks (simulator
 *   --auth bulk) publish for thousands of invented devices over a few connections;
 * - every device of the demo's simulator (guards' phones, sensors, gateways;
 *   scripts/simulator/devices.ts), username = its id, password = HMAC-SHA256(deviceSecret, id):
 *   per-device secrets that a provisioning step can recompute without storing
 *   them, and that tests derive from MQTT_DEVICE_SECRET.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BrokerUser {
  username: string;
  password: string;
}

export interface MqttCredentials {
  ingest: BrokerUser;
  commands: BrokerUser;
  simulator: BrokerUser;
  /** Key of the per-device passwords. */
  deviceSecret: string;
}

/** A device's broker password: derived, so nothing per device needs storing. */
export function devicePassword(deviceSecret: string, deviceId: string): string {
  return createHmac('sha256', deviceSecret).update(`mqtt-device:${deviceId}`).digest('base64url');
}

const secret = () => randomBytes(24).toString('base64url');

/** Reads the credentials file in dir, creating it (0600) on first use. */
export function loadOrCreateMqttCredentials(dir: string): MqttCredentials {
  const file = path.join(dir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as MqttCredentials;
  const credentials: MqttCredentials = {
    ingest: { username: 'watchfloor-ingest', password: secret() },
    commands: { username: 'watchfloor-commands', password: secret() },
    simulator: { username: 'watchfloor-simulator', password: secret() },
    deviceSecret: secret(),
  };
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return credentials;
}

/** The plaintext `user:password` lines for mosquitto_passwd -U. */
export function passwordFileLines(credentials: MqttCredentials, deviceIds: string[]): string {
  const users: BrokerUser[] = [
    credentials.ingest,
    credentials.commands,
    credentials.simulator,
    ...deviceIds.map((id) => ({
      username: id,
      password: devicePassword(credentials.deviceSecret, id),
    })),
  ];
  return users.map((u) => `${u.username}:${u.password}\n`).join('');
}

/** The environment the server, tests and simulator read the credentials from. */
export function mqttCredentialEnv(credentials: MqttCredentials): Record<string, string> {
  return {
    MQTT_USERNAME: credentials.ingest.username,
    MQTT_PASSWORD: credentials.ingest.password,
    MQTT_COMMAND_USERNAME: credentials.commands.username,
    MQTT_COMMAND_PASSWORD: credentials.commands.password,
    MQTT_SIMULATOR_USERNAME: credentials.simulator.username,
    MQTT_SIMULATOR_PASSWORD: credentials.simulator.password,
    MQTT_DEVICE_SECRET: credentials.deviceSecret,
  };
}
