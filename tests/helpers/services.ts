/** The real services' URLs for integration tests, and collision-free names. */
import { randomBytes } from 'node:crypto';

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  mqttUrl: string;
}

const VARIABLES = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  mqttUrl: 'MQTT_URL',
} as const;

/**
 * The URLs from the environment. Throws, naming each missing variable, so a test
 * without its service fails loudly instead of skipping.
 */
export function requireServiceUrls(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  const missing = Object.values(VARIABLES).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Integration tests need the real services, but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not set. Run \`npm test\`, or start them with ` +
        '`npx tsx scripts/stack/index.ts up` and export DATABASE_URL, REDIS_URL and MQTT_URL.',
    );
  }
  return {
    databaseUrl: env.DATABASE_URL as string,
    redisUrl: env.REDIS_URL as string,
    mqttUrl: env.MQTT_URL as string,
  };
}

/**
 * A short id unique across processes and runs: prefix, time, randomness. Only
 * [A-Za-z0-9_-], so it fits queue prefixes, MQTT client ids and database names.
 */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The server's (ingest) broker credentials exported by scripts/test.ts, as config entries. */
export function mqttServerCredentials(
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const entries: Record<string, string> = {};
  if (env.MQTT_USERNAME) entries.MQTT_USERNAME = env.MQTT_USERNAME;
  if (env.MQTT_PASSWORD) entries.MQTT_PASSWORD = env.MQTT_PASSWORD;
  return entries;
}

/**
 * Connect options for publishing like a device: the simulator user of the
 * local stack (may publish under any id), so tests can send for their own
 * invented guard ids. Throws when the stack did not export it.
 */
export function mqttPublisherOptions(env: NodeJS.ProcessEnv = process.env): {
  username: string;
  password: string;
} {
  const username = env.MQTT_SIMULATOR_USERNAME;
  const password = env.MQTT_SIMULATOR_PASSWORD;
  if (!username || !password) {
    throw new Error(
      'MQTT_SIMULATOR_USERNAME/MQTT_SIMULATOR_PASSWORD are not set: run the tests through `npm test` ' +
        '(scripts/test.ts exports the local broker credentials).',
    );
  }
  return { username, password };
}
