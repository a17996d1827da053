/**
 * Starts a real Watchfloor (every role, no pages) inside the test process,
 * against the real services, with names of its own so tests never collide:
 * queue prefix, event channel, MQTT client ids and share group.
 */
import { Writable } from 'node:stream';
import { startWatchfloor, type Watchfloor } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { isClusterTarget } from '../../server/redis';
import { registerRun, resourcesOfConfig } from '../../scripts/lib/run-registry';
import { mqttServerCredentials, requireServiceUrls, uniqueId } from './services';
import { runScopedNames } from '../../scripts/lib/run-names';

/**
 * Logged once every ingest connection of both lanes is subscribed (the restart
 * sentinel received the group's marker): from then on nothing published is missed.
 */
export const INGEST_READY = 'ingest sentinel caught up: standby';

export interface TestApp {
  app: Watchfloor;
  config: Config;
  /** The web role's URL; empty when the app runs without it. */
  baseUrl: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts the app; pass env overrides for the case under test. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const urls = requireServiceUrls();
  const id = uniqueId('t');
  const config = loadConfig({
    DATABASE_URL: urls.databaseUrl,
    REDIS_URL: urls.redisUrl,
    MQTT_URL: urls.mqttUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    // Said explicitly: with neither variable set the server is production (issue 10, point 8).
    WATCHFLOOR_ENV: 'test',
    LOG_LEVEL: 'info',
    ...runScopedNames(`wft-${id}`),
    MQTT_INGEST_CONNECTIONS: '2',
    // Test sessions must not linger on the shared broker, queueing for no one.
    MQTT_SESSION_EXPIRY_S: '300',
    // Slots whose sessions the run registry clears at the end: as few as the tests lease.
    MQTT_INGEST_SLOTS: '2',
    // The broker refuses anonymous clients (deploy/mosquitto/acl); scripts/test.ts exports these.
    ...mqttServerCredentials(),
    ...overrides,
  });
  // Recorded first, removed on stop(): a test process that dies leaves data `stack clean` can prove dead.
  // On the services the app uses (a test may give it private ones).
  // A private Redis Cluster dies with its test: the run is recorded on the shared Redis, for the broker sessions.
  const services = {
    redisUrl: isClusterTarget(config.REDIS_URL, config.REDIS_CLUSTER)
      ? urls.redisUrl
      : config.REDIS_URL,
    mqtt: { url: config.MQTT_URL, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD },
  };
  const run = await registerRun(services, {
    id: `wft-${id}`,
    kind: 'integration',
    ...resourcesOfConfig(config),
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = await startWatchfloor(config, createLogger(config.LOG_LEVEL, {}, sink), {
    pages: false,
  }).catch(async (error: unknown) => {
    await run.release();
    throw error;
  });
  const port = app.web?.port;
  if (config.ROLES.includes('web') && !port) throw new Error('the web role did not start');
  // Without the web role there is no URL: baseUrl stays empty.
  const baseUrl = port ? `http://127.0.0.1:${port}` : '';
  const stop = async () => {
    await app.stop();
    await run.release();
  };
  return { app, config, baseUrl, logs, stop };
}
