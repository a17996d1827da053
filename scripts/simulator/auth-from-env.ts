/**
 * The simulator's broker credentials from the environment the local stack
 * exports (scripts/stack/mqtt-credentials.ts, mqttCredentialEnv): the device
 * secret for per-device users, or the bulk simulator user. Missing ones are
 * named with where they come from, never silently replaced.
 */
import type { SimulatorAuth } from './links';

/** Builds the auth of a mode; throws naming what is missing. */
export function simulatorAuthFromEnv(
  mode: SimulatorAuth['mode'],
  env: NodeJS.ProcessEnv,
  connections: number,
): SimulatorAuth {
  const hint =
    'read from the local stack once it runs (`npm run stack -- up`); set it for a broker elsewhere';
  if (mode === 'device') {
    const deviceSecret = env.MQTT_DEVICE_SECRET;
    if (!deviceSecret) throw new Error(`--auth device needs MQTT_DEVICE_SECRET (${hint})`);
    return { mode, deviceSecret };
  }
  const username = env.MQTT_SIMULATOR_USERNAME;
  const password = env.MQTT_SIMULATOR_PASSWORD;
  if (!username || !password) {
    throw new Error(
      `--auth bulk needs MQTT_SIMULATOR_USERNAME and MQTT_SIMULATOR_PASSWORD (${hint})`,
    );
  }
  return { mode, username, password, connections };
}
