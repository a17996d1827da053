/**
 * Scripts run by hand beside the local stack (`npm start`, `npm run simulate`,
 * `npm run stack -- clean`) find the local broker's credentials themselves, as
 * `npm run demo` and `npm test` do: when MQTT_URL is unset or names the local
 * broker, whatever MQTT_* credential the environment lacks comes from the
 * stack's .data/mosquitto/credentials.json. A variable that is set always wins;
 * a broker elsewhere gets nothing from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { DATA_ROOT } from '../stack/dirs';
import { mqttCredentialEnv, type MqttCredentials } from '../stack/mqtt-credentials';

/** Where the local stack keeps its broker credentials (scripts/stack/mosquitto.ts writes it). */
export const LOCAL_CREDENTIALS_FILE = path.join(DATA_ROOT, 'mosquitto', 'credentials.json');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether an MQTT URL (or none: the default) is the local stack's broker. */
export function isLocalBroker(url: string | undefined): boolean {
  if (!url) return true;
  const local = new URL(LOCAL_SERVICE_DEFAULTS.mqttUrl);
  try {
    const given = new URL(url);
    return (
      given.protocol === local.protocol && LOOPBACK.has(given.hostname) && given.port === local.port
    );
  } catch {
    return false;
  }
}

/**
 * The environment with the local broker's credentials filled in where missing
 * (see the file comment); unchanged for another broker or without the file.
 */
export function withLocalStackCredentials<Env extends Record<string, string | undefined>>(
  env: Env,
  file = LOCAL_CREDENTIALS_FILE,
): Env {
  if (!isLocalBroker(env.MQTT_URL) || !existsSync(file)) return env;
  const credentials = JSON.parse(readFileSync(file, 'utf8')) as MqttCredentials;
  const filled: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(mqttCredentialEnv(credentials))) {
    if (!filled[name]) filled[name] = value;
  }
  return filled as Env;
}

/** Only the credentials the local stack would add to env (none for a broker elsewhere). */
export function localCredentialsMissingFrom(
  env: Record<string, string | undefined>,
  file = LOCAL_CREDENTIALS_FILE,
): Record<string, string> {
  const filled = withLocalStackCredentials(env, file);
  const added: Record<string, string> = {};
  for (const [name, value] of Object.entries(filled)) {
    if (value !== undefined && env[name] === undefined) added[name] = value;
  }
  return added;
}
