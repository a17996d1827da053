/**
 * Two ingest processes sharing one MQTT subscription (each a real process on
 * an instance slot of its own), a worker in the test process, and a steady
 * stream of GPS fixes for one guard: the scenario of the tests in which one
 * ingest goes away mid-traffic (ingest-gone-for-good, ingest-scale-down).
 */
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { runScopedNames } from '../../scripts/lib/run-names';
import { INGEST_READY, startTestApp, type TestApp } from './in-process-app';
import { connectPublisher } from './pipeline-clients';
import { startRoleProcess, type RoleProcess } from './role-process';
import { requireServiceUrls, uniqueId } from './services';
import { waitFor } from './wait-for';

/** Fixes published, at RATE a second: four seconds of traffic. */
export const FIXES = 600;
export const RATE = 150;

export interface TwoIngests {
  /** QUEUE_PREFIX and the other names of the run. */
  names: ReturnType<typeof runScopedNames>;
  /** In start order; each is ready (subscribed) before the traffic starts. */
  ingests: RoleProcess[];
  /**
   * Publishes FIXES at RATE, calling `afterOneSecond` before the fix published
   * a second in (awaited: it may kill a process first); resolves once the
   * broker acknowledged every fix.
   */
  publishFixes(afterOneSecond: () => Promise<void> | void): Promise<void>;
  /**
   * Waits up to `timeoutMs` for every fix to be stored; resolves with the rows
   * and distinct message keys found (the caller asserts, so a failure says how many).
   */
  storedWithin(timeoutMs: number): Promise<{ rows: number; keys: number }>;
}

/** Registers the hooks in the calling test file; `env` adds to the processes' settings. */
export function setUpTwoIngests(env: Record<string, string>): TwoIngests {
  const id = uniqueId('ingests');
  const guardId = uniqueId('ingests-guard');
  const names = runScopedNames(`wft-${id}`);
  const shared = { ...names, MQTT_INGEST_SLOTS: '2', MQTT_INGEST_CONNECTIONS: '2', ...env };
  let pool: pg.Pool;
  let worker: TestApp;
  let publisher: MqttClient;
  const ingests: RoleProcess[] = [];

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: requireServiceUrls().databaseUrl, max: 2 });
    // The worker (in this process) also registers the run: its stop clears every slot's session.
    worker = await startTestApp({ ...shared, ROLES: 'worker' });
    for (let i = 0; i < 2; i++) {
      const ingest = await startRoleProcess({ ...shared, ROLES: 'ingest', PORT: '0' });
      await ingest.waitForLog(INGEST_READY);
      ingests.push(ingest);
    }
    publisher = await connectPublisher();
  }, 120_000);

  afterAll(async () => {
    await publisher?.endAsync();
    await Promise.all(ingests.map((p) => p.kill('SIGTERM')));
    await worker?.stop();
    await pool?.query('DELETE FROM guard_positions WHERE guard_id = $1', [guardId]);
    await pool?.end();
  });

  async function stored(): Promise<{ rows: number; keys: number }> {
    const { rows } = await pool.query<{ rows: number; keys: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT message_key)::int AS keys
       FROM guard_positions WHERE guard_id = $1`,
      [guardId],
    );
    return rows[0]!;
  }

  return {
    names,
    ingests,
    async publishFixes(afterOneSecond) {
      const acks: Promise<unknown>[] = [];
      const started = Date.now();
      for (let i = 0; i < FIXES; i++) {
        const wait = started + (i * 1000) / RATE - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (i === RATE) await afterOneSecond();
        const fix = {
          lat: 51.22 + i / 1e6,
          lon: 4.4,
          accuracy: 5,
          ts: Date.now(),
          msgId: `f-${i}`,
        };
        acks.push(publisher.publishAsync(`guard/${guardId}/gps`, JSON.stringify(fix), { qos: 1 }));
      }
      await Promise.all(acks);
    },
    async storedWithin(timeoutMs) {
      const lastPublish = Date.now();
      let last = await stored();
      await waitFor(
        async () => {
          last = await stored();
          return last.keys >= FIXES;
        },
        { timeoutMs, intervalMs: 250, what: `all ${FIXES} fixes stored` },
      ).catch(() => undefined); // the caller's assertion says how many arrived
      console.log(
        `${last.keys}/${FIXES} stored ${Date.now() - lastPublish} ms after the last publish`,
      );
      return last;
    },
  };
}
