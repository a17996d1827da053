/**
 * The two-of-every-role scenario, on the Redis a test file picks (the shared
 * single Redis, or a private Redis Cluster of three masters): two ingest, two
 * worker and two web processes (each a real process, the web nodes on ports of
 * their own) share the real PostgreSQL and Mosquitto and that Redis. A
 * supervisor's screen on each web node (both allowed the test's site) records
 * what it gets while a steady mix of GPS fixes, duty statuses and SOS alerts
 * is published. Mid-run one process of each role is killed with SIGKILL and
 * never restarted; the dead web node's screen moves to the surviving node, as
 * a load balancer would.
 *
 * Every message is stored exactly once; each screen gets each event (fix,
 * duty status, alert) at most once (the fix for every web node broadcasting
 * every event: the broadcast stream's consumer group) and misses none it may
 * see (the moved screen's gap is covered by its new snapshot); each screen's
 * last position and duty status of every guard equal the database (fixes are
 * coalesced); the admin page and the charts list all six processes; no
 * process logged a command Redis refused.
 */
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRun, resourcesOfConfig, type RegisteredRun } from '../../scripts/lib/run-registry';
import { loadConfig } from '../../server/config';
import { listGuards } from '../../server/guards/queries';
import { generateFernetKey } from '../../server/security/fernet';
import type { ProcessHealthDto } from '../../contract/charts';
import type { AdminStatsDto } from '../../contract/admin';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../contract/socket-events';
import { createSiteWithGuard, removeSite } from './fixtures';
import { INGEST_READY } from './in-process-app';
import { connectPublisher } from './pipeline-clients';
import { freePort } from './ports';
import {
  settledStats,
  startPrivateRedisCluster,
  type ClusterStats,
  type PrivateRedisCluster,
} from './private-redis-cluster';
import { startRoleProcess, type RoleProcess } from './role-process';
import { recordScreen, type ScreenRecorder } from './screen-recorder';
import { fixesPushedTwice, lastPositions, lastStatuses, regressions } from './screen-views';
import { mqttServerCredentials, requireServiceUrls, uniqueId } from './services';
import { createTestUser, removeTestUsers, type TestUser } from './sessions';
import { waitFor } from './wait-for';
import { GUARDS, MESSAGES, RATE, mixedMessage, published, type Kind } from './mixed-traffic';
import { runScopedNames } from '../../scripts/lib/run-names';

const KILL_AT = 800; // the message index at which one process of each role is killed

/** A warning or error about a command Redis refused (a key outside the node's slots, a cluster down). */
const REFUSED = /CROSSSLOT|MOVED|ASK |CLUSTERDOWN|TRYAGAIN|NOSCRIPT|ERR /;

/**
 * Defines the scenario's hooks and tests in the calling test file. `redis`:
 * `single` runs every process on the shared Redis; `cluster` starts a private
 * three-master cluster and gives every process its nodes (REDIS_URL, a comma
 * list) and REDIS_CLUSTER=true.
 */
export function describeTwoOfEveryRole(redis: 'single' | 'cluster'): void {
  const urls = requireServiceUrls();
  const id = uniqueId(redis === 'cluster' ? 'two-c' : 'two');
  const siteId = uniqueId('two-site');
  const guardIds = Array.from({ length: GUARDS }, (_, i) => `${id}-g${i}`);
  const shared: Record<string, string> = {
    ...runScopedNames(`wft-${id}`),
    MQTT_INGEST_SLOTS: '2',
    MQTT_INGEST_CONNECTIONS: '2',
    MQTT_SESSION_EXPIRY_S: '300',
    INGEST_LEASE_MS: '3000',
    INGEST_TAKEOVER_MS: '1000',
    CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
    CHART_SAMPLE_MS: '1000',
  };
  // The test's own view (sessions, the run's resources); the processes get the Redis target on top.
  const config = loadConfig({
    ...process.env,
    ...mqttServerCredentials(),
    ...shared,
    DATABASE_URL: urls.databaseUrl,
    REDIS_URL: urls.redisUrl,
    MQTT_URL: urls.mqttUrl,
    WATCHFLOOR_ENV: 'test',
  });

  let cluster: PrivateRedisCluster | undefined;
  /** The cluster's counts once everything started (a BullMQ connection just opened may take one MOVED). */
  let startStats: ClusterStats = { errors: {}, rejectedByCommand: {} };
  let pool: pg.Pool;
  let run: RegisteredRun;
  let publisher: MqttClient;
  const users: TestUser[] = [];
  const processes: Record<'ingest' | 'worker' | 'web', RoleProcess[]> = {
    ingest: [],
    worker: [],
    web: [],
  };
  const webUrls: string[] = [];
  const screens: ScreenRecorder[] = [];

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 3 });
    // Recorded on the shared Redis either way (a private cluster dies with the test: its
    // keys need no clean-up), for the broker sessions; as in-process-app.ts.
    run = await registerRun(
      { redisUrl: urls.redisUrl, mqtt: { url: urls.mqttUrl, ...brokerLogin() } },
      { id: `wft-${id}`, kind: 'integration', ...resourcesOfConfig(config) },
    );
    let redisEnv: Record<string, string> = {};
    if (redis === 'cluster') {
      cluster = await startPrivateRedisCluster();
      redisEnv = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' };
    }
    await createSiteWithGuard(pool, { siteId, guardId: guardIds[0]! });
    for (const guardId of guardIds.slice(1)) {
      await pool.query(
        `INSERT INTO guards (id, name, site_id, updated_at) VALUES ($1, $1, $2, now())`,
        [guardId, siteId],
      );
    }
    // processes[role][i] is the i-th started, whichever is ready first (web node i serves webUrls[i]).
    const start = (roles: 'ingest' | 'worker' | 'web', env: Record<string, string> = {}) => {
      const index = (started[roles] += 1);
      return startRoleProcess({ ...shared, ...redisEnv, ROLES: roles, PORT: '0', ...env }).then(
        (p) => {
          processes[roles][index] = p;
          return p;
        },
      );
    };
    const started = { ingest: -1, worker: -1, web: -1 };
    // Consumers first, then the web nodes, then the ingests (as one process starts its roles).
    await Promise.all([start('worker'), start('worker')]);
    const ports = [await freePort(), await freePort()];
    webUrls.push(...ports.map((port) => `http://127.0.0.1:${port}`));
    await Promise.all(ports.map((port) => start('web', { PORT: String(port) })));
    await Promise.all([0, 1].map(async () => (await start('ingest')).waitForLog(INGEST_READY)));
    for (const url of webUrls) {
      const user = await createTestUser(pool, config, { role: 'supervisor', siteIds: [siteId] });
      users.push(user);
      screens.push(await recordScreen(url, user.cookie));
    }
    publisher = await connectPublisher();
    if (cluster) startStats = await settledStats(cluster);
  }, 180_000);

  afterAll(async () => {
    for (const screen of screens) screen.close();
    await publisher?.endAsync();
    await Promise.all(
      Object.values(processes)
        .flat()
        .map((p) => p.kill('SIGTERM')),
    );
    await run?.release();
    await cluster?.destroy();
    await removeTestUsers(pool, users);
    await pool.query(`DELETE FROM alerts WHERE guard_id = ANY($1)`, [guardIds]);
    await pool.query(`DELETE FROM guard_positions WHERE guard_id = ANY($1)`, [guardIds]);
    await pool.query(`DELETE FROM guard_status_reports WHERE guard_id = ANY($1)`, [guardIds]);
    await removeSite(pool, siteId);
    await pool.end();
  }, 120_000);

  function brokerLogin(): { username?: string; password?: string } {
    return { username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD };
  }

  async function storedCounts(): Promise<Record<Kind, { rows: number; keys: number }>> {
    const count = async (table: string) =>
      (
        await pool.query<{ rows: number; keys: number }>(
          `SELECT count(*)::int AS rows, count(DISTINCT message_key)::int AS keys
           FROM ${table} WHERE guard_id = ANY($1)`,
          [guardIds],
        )
      ).rows[0]!;
    return {
      gps: await count('guard_positions'),
      status: await count('guard_status_reports'),
      sos: await count('alerts'),
    };
  }

  describe(`two of every role (${redis === 'cluster' ? 'Redis Cluster' : 'single Redis'})`, () => {
    it('lists all six processes on the admin page and the charts', async () => {
      const six = ['ingest', 'ingest', 'web', 'web', 'worker', 'worker'];
      const rolesOf = (processes: ProcessHealthDto[]) =>
        processes
          .filter((p) => p.state === 'live')
          .map((p) => p.roles.join(','))
          .sort();
      // What /admin is pushed on either node: the admin room's statistics.
      const admin = await createTestUser(pool, config, { role: 'admin' });
      users.push(admin);
      for (const url of webUrls) {
        const socket: Socket<ServerToClientEvents> = connectSocket(url, {
          transports: ['websocket'],
          extraHeaders: { cookie: admin.cookie },
        });
        const pushed: AdminStatsDto[] = [];
        socket.on(SERVER_EVENTS.adminStats, (stats) => pushed.push(stats));
        try {
          const stats = await waitFor(() => pushed.find((s) => rolesOf(s.processes).length === 6), {
            timeoutMs: 20_000,
            intervalMs: 100,
            what: `${url}'s admin page listing six processes`,
          });
          expect(rolesOf(stats.processes), url).toEqual(six);
        } finally {
          socket.disconnect();
        }
      }
      const sample = await waitFor(
        () => screens[1]!.samples.find((s) => rolesOf(s.processes).length === 6),
        { timeoutMs: 20_000, intervalMs: 100, what: 'a chart sample listing six live processes' },
      );
      expect(rolesOf(sample.processes)).toEqual(six);
    }, 60_000);

    it('stores every message once and shows each event once per screen, across a SIGKILL of one process per role', async () => {
      const acks: Promise<unknown>[] = [];
      let moved = false;
      const started = Date.now();
      for (let i = 0; i < MESSAGES; i++) {
        const wait = started + (i * 1000) / RATE - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (i === KILL_AT) {
          await Promise.all([
            processes.ingest[0]!.kill('SIGKILL'),
            processes.worker[0]!.kill('SIGKILL'),
            processes.web[0]!.kill('SIGKILL'),
          ]);
          // The dead node's screen reconnects to the surviving node (snapshot: no recovery session).
          void screens[0]!.moveTo(webUrls[1]!).then(() => (moved = true));
        }
        const { topic, payload } = mixedMessage(id, guardIds, i);
        acks.push(publisher.publishAsync(topic, payload, { qos: 1 }));
      }
      await Promise.all(acks);
      const lastPublish = Date.now();
      await waitFor(() => moved, { what: 'the moved screen’s snapshot from the surviving node' });
      // What the surviving node warned about, for a failure's reader.
      const warnings = processes.web[1]!.logs.filter((l) => (l.level as number) >= 40);
      console.log(`surviving web node warnings: ${JSON.stringify(warnings.map((l) => l.msg))}`);

      // Stored exactly once (a killed worker's jobs come back after BullMQ's lock expiry).
      let counts = await storedCounts();
      await waitFor(
        async () => {
          counts = await storedCounts();
          return (['gps', 'status', 'sos'] as const).every((k) => counts[k].keys >= published(k));
        },
        { timeoutMs: 120_000, intervalMs: 500, what: 'every message stored' },
      ).catch(() => undefined); // the assertion says what is missing
      console.log(
        `two of every role (${redis}): all stored ${Date.now() - lastPublish} ms after the last publish`,
      );
      for (const kind of ['gps', 'status', 'sos'] as const) {
        expect(counts[kind], kind).toEqual({ rows: published(kind), keys: published(kind) });
      }

      // Each screen ends with every guard where the database has it.
      const guards = (await listGuards(pool)).filter((g) => guardIds.includes(g.id));
      const expected = new Map(guards.map((g) => [g.id, g.position?.fixAt]));
      for (const [n, screen] of screens.entries()) {
        await waitFor(
          () =>
            [...expected].every(
              ([g, fixAt]) => lastPositions(screen, guardIds).get(g)?.fixAt === fixAt,
            ),
          {
            timeoutMs: 15_000,
            intervalMs: 100,
            what: `screen ${n}'s last positions to equal the database`,
          },
        ).catch(() => undefined);
        const last = lastPositions(screen, guardIds);
        expect(
          Object.fromEntries([...expected].map(([g]) => [g, last.get(g)?.fixAt])),
          `screen ${n}`,
        ).toEqual(Object.fromEntries(expected));
      }
      // After the kill one web node sends everything: never a fix older than one it sent.
      expect(regressions(screens[0]!, 1), 'moved screen: fixes older than one already sent').toBe(
        0,
      );
      // Each fix leaves one web node: no screen gets one twice (with two nodes broadcasting
      // every event, nearly every fix came twice).
      for (const [n, screen] of screens.entries()) {
        expect(fixesPushedTwice(screen), `screen ${n}: fixes pushed twice`).toBe(0);
      }

      // Alerts: each once per screen, and none missing (the moved screen's gap is in its new snapshot).
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM alerts WHERE guard_id = ANY($1)`,
        [guardIds],
      );
      const alertIds = rows.map((r) => r.id).sort();
      for (const [n, screen] of screens.entries()) {
        // The last SOS can be stored a few ms before its event reaches the screens: wait for
        // every stored alert to arrive (the assertion below says which never did).
        const seenOnScreen = () =>
          new Set([
            ...screen.alerts.map((a) => a.id),
            ...screen.snapshots.flatMap((s) => s.openAlerts.map((a) => a.id)),
          ]);
        await waitFor(() => alertIds.every((a) => seenOnScreen().has(a)), {
          timeoutMs: 15_000,
          intervalMs: 100,
          what: `screen ${n} to have seen every stored alert`,
        }).catch(() => undefined);
        const pushed = screen.alerts.filter((a) => a.siteId === siteId).map((a) => a.id);
        const twice = pushed.filter((a, i) => pushed.indexOf(a) !== i);
        if (twice.length > 0)
          console.log(
            `screen ${n} got twice: ${JSON.stringify(screen.alerts.filter((a) => twice.includes(a.id)))}; connections: ${JSON.stringify(screen.disconnects)}`,
          );
        expect(pushed.length - new Set(pushed).size, `screen ${n}: alerts pushed twice`).toBe(0);
        const inSnapshots = screen.snapshots.flatMap((s) => s.openAlerts.map((a) => a.id));
        const seen = new Set([...pushed, ...inSnapshots]);
        expect(
          alertIds.filter((a) => !seen.has(a)),
          `screen ${n}: alerts never seen`,
        ).toEqual([]);
      }
      // The screen that stayed on the surviving node got every alert live.
      expect(new Set(screens[1]!.alerts.map((a) => a.id)).size).toBe(published('sos'));

      // Duty statuses: never one twice on a screen, and each screen ends with every guard's as stored.
      const statuses = new Map(
        guards.map((g) => [g.id, g.dutyStatus ? `${g.dutyStatus}@${g.dutyStatusAt}` : undefined]),
      );
      for (const [n, screen] of screens.entries()) {
        const keys = screen.statuses.map((s) => `${s.guardId}@${s.at}`);
        expect(keys.length - new Set(keys).size, `screen ${n}: statuses pushed twice`).toBe(0);
        const shown = () => lastStatuses(screen, guardIds);
        await waitFor(() => [...statuses].every(([g, status]) => shown().get(g) === status), {
          timeoutMs: 15_000,
          intervalMs: 100,
          what: `screen ${n}'s last duty statuses to equal the database`,
        }).catch(() => undefined);
        expect(Object.fromEntries(shown()), `screen ${n}: last duty statuses`).toEqual(
          Object.fromEntries(statuses),
        );
      }
    }, 240_000);

    it('logged no command Redis refused', () => {
      // On a cluster a missing hash tag shows as CROSSSLOT; a lost redirect as MOVED.
      const refused = Object.entries(processes).flatMap(([role, list]) =>
        list.flatMap((p, n) =>
          p.logs
            .filter((l) => Number(l.level) >= 40 && REFUSED.test(JSON.stringify(l)))
            .map((l) => ({ process: `${role}[${n}]`, msg: l.msg, err: l.err })),
        ),
      );
      expect(refused).toEqual([]);
    });

    if (redis === 'cluster')
      it('sent every command to the node that holds its keys (no CROSSSLOT, no MOVED once started)', () => {
        // ioredis follows a MOVED silently (reloading its slot map): only the nodes count them.
        // (ERR: ioredis's CLIENT SETINFO on every connection, which Redis 7.0 does not know.)
        const { errors, rejectedByCommand } = cluster!.stats();
        expect(errors.CROSSSLOT ?? 0, 'CROSSSLOT').toBe(0);
        // Which commands were refused since the start, for a failure's reader.
        const rejected = Object.entries(rejectedByCommand)
          .map(
            ([command, n]) => [command, n - (startStats.rejectedByCommand[command] ?? 0)] as const,
          )
          .filter(([, n]) => n > 0);
        expect(
          (errors.MOVED ?? 0) - (startStats.errors.MOVED ?? 0),
          `MOVED during the run (refused since the start, by command: ${JSON.stringify(rejected)})`,
        ).toBe(0);
      });
  });
}
