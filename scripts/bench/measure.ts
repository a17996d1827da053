/**
 * One measured load step: the simulator publishes QoS 1 GPS fixes at a rate
 * for a duration; we count what was acknowledged by the broker and what was
 * stored, and take per-message latencies from the rows themselves
 * (fix time = publish time; enqueued_at and stored_at are written by the
 * pipeline) and from a Socket.IO client watching the live events.
 */
import type pg from 'pg';
import type { Socket } from 'socket.io-client';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../contract/socket-events';
import type { SiteDto } from '../../contract/guards';
import { startSimulatorThread } from './simulator-thread';
import { summarize, type LatencySummary } from './stats';

export interface StepOptions {
  label: string;
  rate: number;
  durationS: number;
  pool: pg.Pool;
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  sites: SiteDto[];
  mqtt: { url: string; username?: string; password?: string };
  /** Called while the load runs (e.g. to publish SOS alerts during a flood). */
  during?: () => Promise<void>;
}

export interface StepResult {
  label: string;
  targetRate: number;
  durationS: number;
  /** Messages the simulator sent. */
  published: number;
  /** Of those, acknowledged by the broker before the step ended. */
  acknowledged: number;
  publishFailed: number;
  stored: number;
  lost: number;
  duplicates: number;
  sustainedMsgPerS: number;
  drainS: number;
  publishToEnqueuedMs: LatencySummary;
  publishToCommittedMs: LatencySummary;
  publishToSocketMs: LatencySummary;
}

/** Inserts the step's guards, spread over the sites, so geofence checks run as in production. */
export async function createGuards(
  pool: pg.Pool,
  prefix: string,
  count: number,
  sites: SiteDto[],
): Promise<{ id: string; siteId: string }[]> {
  const guards = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    siteId: sites[i % sites.length]!.id,
  }));
  await pool.query(
    `INSERT INTO guards (id, name, site_id, updated_at)
     SELECT id, id, site_id, now() FROM unnest($1::text[], $2::text[]) AS t(id, site_id)
     ON CONFLICT (id) DO NOTHING`,
    [guards.map((g) => g.id), guards.map((g) => g.siteId)],
  );
  return guards;
}

async function count(pool: pg.Pool, prefix: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM guard_positions WHERE guard_id LIKE $1`,
    [`${prefix}%`],
  );
  return rows[0]!.n;
}

/** Runs one step and measures it. */
export async function runStep(options: StepOptions): Promise<StepResult> {
  const { pool, label, rate } = options;
  const prefix = `bench-${label}-g`;
  const guardCount = Math.min(rate, 2000);
  const guards = await createGuards(pool, prefix, guardCount, options.sites);

  const socketLatencies: number[] = [];
  const onPositions = (positions: { guardId: string; fixAt: number }[]) => {
    const now = Date.now();
    for (const p of positions)
      if (p.guardId.startsWith(prefix)) socketLatencies.push(now - p.fixAt);
  };
  options.socket.on(SERVER_EVENTS.guardPositions, onPositions);

  const sim = await startSimulatorThread({
    mqttUrl: options.mqtt.url,
    auth: {
      mode: 'bulk',
      username: options.mqtt.username,
      password: options.mqtt.password,
      connections: rate >= 5000 ? 8 : 4,
    },
    sites: options.sites,
    knownGuards: guards,
    guards: guardCount,
    rate: rate / guardCount,
    qos: 1,
    mix: 'gps',
  });
  const during = options.during?.();
  await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
  const published = await sim.stop(30_000);
  await during;

  // Drain: wait until everything acknowledged is stored, or nothing moves for 15 s.
  const drainStart = Date.now();
  let stored = await count(pool, prefix);
  let lastChange = Date.now();
  while (
    stored < published.acknowledged &&
    Date.now() - lastChange < 15_000 &&
    Date.now() - drainStart < 180_000
  ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await count(pool, prefix);
    if (now !== stored) lastChange = Date.now();
    stored = now;
  }
  const drainS = (Date.now() - drainStart) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500)); // the last socket batches
  options.socket.off(SERVER_EVENTS.guardPositions, onPositions);

  const { rows } = await pool.query<{ enq: number | null; com: number; keys: number }>(
    `SELECT EXTRACT(EPOCH FROM enqueued_at - fix_at) * 1000 AS enq,
            EXTRACT(EPOCH FROM stored_at - fix_at) * 1000 AS com
     FROM guard_positions WHERE guard_id LIKE $1`,
    [`${prefix}%`],
  );
  const { rows: span } = await pool.query<{ seconds: number; distinct_keys: number; n: number }>(
    `SELECT EXTRACT(EPOCH FROM max(stored_at) - min(fix_at)) AS seconds,
            count(DISTINCT message_key)::int AS distinct_keys, count(*)::int AS n
     FROM guard_positions WHERE guard_id LIKE $1`,
    [`${prefix}%`],
  );
  const seconds = Number(span[0]?.seconds ?? 0);
  return {
    label,
    targetRate: rate,
    durationS: options.durationS,
    published: published.published,
    acknowledged: published.acknowledged,
    publishFailed: published.failed,
    stored,
    // Against what the broker acknowledged: those it owed us; any more stored is a bonus.
    lost: Math.max(0, published.acknowledged - stored),
    duplicates: (span[0]?.n ?? 0) - (span[0]?.distinct_keys ?? 0),
    sustainedMsgPerS: seconds > 0 ? Math.round(stored / seconds) : 0,
    drainS: Math.round(drainS * 10) / 10,
    publishToEnqueuedMs: summarize(rows.flatMap((r) => (r.enq === null ? [] : [Number(r.enq)]))),
    publishToCommittedMs: summarize(rows.map((r) => Number(r.com))),
    publishToSocketMs: summarize(socketLatencies),
  };
}
