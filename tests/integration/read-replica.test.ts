/**
 * Heavy reads on a PostgreSQL streaming replica (DATABASE_READ_URL), against a
 * private primary and replica (tests/helpers/private-postgres-replica.ts):
 * alert history is read from the replica (a replica paused behind the primary
 * shows it), acknowledging answers from the primary, and when the replica is
 * down or lags past the bound, reads go to the primary or fail with a clear
 * 503, and nothing waits on the dead replica.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acknowledge } from '../../app/api/alerts/[id]/acknowledge/route';
import { GET as listAlerts } from '../../app/api/alerts/route';
import { migrate } from '../../scripts/migrate';
import { createReadReplica, ReplicaUnavailableError } from '../../server/db/read-replica';
import { createLogger } from '../../server/logger';
import type { AlertDto } from '../../contract/alerts';
import { createSiteWithGuard } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import {
  startPrivateReplicaPair,
  type PrivateReplicaPair,
} from '../helpers/private-postgres-replica';
import { idParams, routeRequest } from '../helpers/route-request';
import { uniqueId } from '../helpers/services';
import { createTestUser, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const siteId = uniqueId('site');
const logger = createLogger('silent');

let pair: PrivateReplicaPair;
let primary: pg.Pool;
let app: TestApp;
let admin: TestUser;

async function insertAlert(message: string): Promise<string> {
  const { rows } = await primary.query<{ id: string }>(
    `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
     VALUES (gen_random_uuid(), 'sos', 'critical', $1, $2, now(), $3) RETURNING id`,
    [message, siteId, uniqueId('key')],
  );
  return rows[0]!.id;
}

/** The alert ids GET /api/alerts answers with (through the app's read path). */
async function listedIds(): Promise<string[]> {
  const response = await listAlerts(
    routeRequest(`/api/alerts?site=${siteId}`, { cookie: admin.cookie }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { alerts: AlertDto[] }).alerts.map((a) => a.id);
}

beforeAll(async () => {
  pair = await startPrivateReplicaPair();
  await migrate(pair.primaryUrl);
  primary = new pg.Pool({ connectionString: pair.primaryUrl, max: 3 });
  await createSiteWithGuard(primary, { siteId, guardId: uniqueId('guard') });
  app = await startTestApp({
    ROLES: 'web',
    DATABASE_URL: pair.primaryUrl,
    DATABASE_READ_URL: pair.replicaUrl,
    DATABASE_READ_PROBE_MS: '200',
    // Generous: the first case shows a replica a little behind is still read from.
    DATABASE_READ_MAX_LAG_MS: '600000',
    DATABASE_READ_TIMEOUT_MS: '2000',
  });
  admin = await createTestUser(primary, app.config, { role: 'admin' });
  await pair.caughtUp();
  await waitFor(() => app.app.web && app.logs.some((l) => l.replica === 'ok'), {
    what: 'the replica probed healthy',
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await primary?.end();
  await pair?.destroy();
}, 60_000);

describe('a read replica for heavy reads', () => {
  it('serves alert history from the replica, and an acknowledgement from the primary', async () => {
    const seen = await insertAlert('replicated');
    await pair.caughtUp();
    await pair.pauseReplay();
    try {
      const unseen = await insertAlert('only on the primary');
      // The replica stopped replaying before `unseen`: a list without it was read there.
      const ids = await listedIds();
      expect(ids).toContain(seen);
      expect(ids).not.toContain(unseen);
      // Acknowledging reads and writes the primary: the answer shows the alert the replica lacks.
      const acked = await acknowledge(
        routeRequest(`/api/alerts/${unseen}/acknowledge`, { method: 'POST', cookie: admin.cookie }),
        idParams(unseen),
      );
      expect(acked.status).toBe(200);
      expect(((await acked.json()) as { alert: AlertDto }).alert).toMatchObject({
        id: unseen,
        status: 'acknowledged',
      });
    } finally {
      await pair.resumeReplay();
    }
  });

  it('reads from the primary while the replica is down, and from the replica once it is back', async () => {
    await pair.stopReplica();
    try {
      const fresh = await insertAlert('written while the replica is down');
      // Whether the probe has noticed yet or the read itself fails over: the primary answers.
      expect(await listedIds()).toContain(fresh);
      await waitFor(() => app.logs.some((l) => l.replica === 'down'), {
        what: 'the replica marked down',
      });
      expect(await listedIds()).toContain(fresh);
    } finally {
      await pair.startReplica();
    }
    const downAt = app.logs.length;
    await waitFor(() => app.logs.slice(downAt).some((l) => l.replica === 'ok'), {
      what: 'the replica probed healthy again',
      timeoutMs: 30_000,
    });
  });

  it('stops reading a replica that lags past the bound: the primary answers, or a clear 503', async () => {
    const settings = {
      url: pair.replicaUrl,
      poolSize: 2,
      maxLagMs: 300,
      probeMs: 100,
      timeoutMs: 2_000,
    };
    const toPrimary = createReadReplica({
      primary,
      logger,
      settings: { ...settings, fallback: 'primary' },
    });
    const failing = createReadReplica({
      primary,
      logger,
      settings: { ...settings, fallback: 'fail' },
    });
    const recovery = (pool: pg.Pool) =>
      pool
        .query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
        .then((r) => r.rows[0]!.standby);
    try {
      await toPrimary.ready;
      await failing.ready;
      expect(toPrimary.state().state).toBe('ok');
      expect(await toPrimary.read(recovery)).toBe(true);
      await pair.pauseReplay();
      await insertAlert('behind the paused replica');
      await waitFor(
        () => toPrimary.state().state === 'lagging' && failing.state().state === 'lagging',
        {
          what: 'the lag past 300 ms noticed',
        },
      );
      expect(toPrimary.state().lagMs).toBeGreaterThan(300);
      expect(await toPrimary.read(recovery)).toBe(false);
      const refused = await failing.read(recovery).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ReplicaUnavailableError);
      expect(refused).toMatchObject({ status: 503, code: 'REPLICA_UNAVAILABLE' });
      await pair.resumeReplay();
      await waitFor(() => toPrimary.state().state === 'ok', { what: 'the replica caught up' });
      expect(await toPrimary.read(recovery)).toBe(true);
    } finally {
      await pair.resumeReplay().catch(() => undefined);
      await toPrimary.close();
      await failing.close();
    }
  });

  it('fails over a read whose replica vanished between probes, without waiting for the probe', async () => {
    const reads = createReadReplica({
      primary,
      logger,
      settings: {
        url: pair.replicaUrl,
        poolSize: 2,
        maxLagMs: 60_000,
        // The probe never runs again during this case: only the read itself can notice.
        probeMs: 60_000,
        timeoutMs: 2_000,
        fallback: 'primary',
      },
    });
    const recovery = (pool: pg.Pool) =>
      pool
        .query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
        .then((r) => r.rows[0]!.standby);
    try {
      await reads.ready;
      expect(reads.state().state).toBe('ok');
      await pair.stopReplica();
      expect(await reads.read(recovery)).toBe(false);
      expect(reads.state().state).toBe('down');
    } finally {
      await pair.startReplica();
      await reads.close();
    }
  });
});
