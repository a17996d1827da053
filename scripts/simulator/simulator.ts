/**
 * The device simulator: guards walking their sites, each publishing GPS fixes
 * over MQTT at a configurable rate with jitter. Also the load generator of the
 * benchmark, so publishing is spread over several connections and scheduled
 * in small ticks rather than one timer per guard.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { GuardDto, SiteDto } from '../../server/realtime/events';
import type { LonLat } from './geometry';
import { Patrol } from './patrol';

export interface SimulatorOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  sites: SiteDto[];
  /** Known guards; more are invented (`sim-guard-N`) when `guards` asks for more. */
  knownGuards: GuardDto[];
  guards: number;
  /** Fixes per second per guard. */
  rate: number;
  qos: 0 | 1 | 2;
  connections: number;
  random?: () => number;
  onPublished?: (guardId: string, msgId: string, publishedAt: number) => void;
}

export interface SimulatorStats {
  published: number;
  acknowledged: number;
  failed: number;
}

interface SimGuard {
  id: string;
  patrol: Patrol;
  client: MqttClient;
  nextDueAt: number;
  lastAt: number;
  seq: number;
}

const TICK_MS = 20;

/** Connects and starts publishing; stop() waits for outstanding acknowledgements. */
export async function startSimulator(options: SimulatorOptions) {
  const random = options.random ?? Math.random;
  if (options.sites.length === 0) throw new Error('no sites to patrol: run the seed first');
  const runId = Date.now().toString(36);
  const clients = await Promise.all(
    Array.from({ length: options.connections }, (_, i) =>
      mqtt.connectAsync(options.mqttUrl, {
        clientId: `watchfloor-sim-${runId}-${i}`,
        username: options.username,
        password: options.password,
        protocolVersion: 5,
        clean: true,
        reconnectPeriod: 1000,
      }),
    ),
  );
  for (const client of clients) client.on('error', () => undefined);

  const intervalMs = 1000 / options.rate;
  const now = Date.now();
  const guards: SimGuard[] = Array.from({ length: options.guards }, (_, i) => {
    const known = options.knownGuards[i];
    const site =
      options.sites.find((s) => s.id === known?.siteId) ?? options.sites[i % options.sites.length]!;
    return {
      id: known?.id ?? `sim-guard-${i + 1}`,
      patrol: new Patrol(site.geofence.coordinates[0] as LonLat[], random),
      client: clients[i % clients.length]!,
      // Spread the first fixes over one interval so guards do not publish in lockstep.
      nextDueAt: now + random() * intervalMs,
      lastAt: now,
      seq: 0,
    };
  });

  const stats: SimulatorStats = { published: 0, acknowledged: 0, failed: 0 };
  let outstanding = 0;
  let drained: (() => void) | null = null;

  function publish(guard: SimGuard, at: number): void {
    const fix = guard.patrol.advance((at - guard.lastAt) / 1000);
    guard.lastAt = at;
    const msgId = `${runId}-${++guard.seq}`;
    const payload = JSON.stringify({ ...fix, ts: at, msgId });
    stats.published++;
    outstanding++;
    options.onPublished?.(guard.id, msgId, at);
    guard.client.publish(`guard/${guard.id}/gps`, payload, { qos: options.qos }, (err) => {
      if (err) stats.failed++;
      else stats.acknowledged++;
      if (--outstanding === 0) drained?.();
    });
  }

  const timer = setInterval(() => {
    const t = Date.now();
    for (const guard of guards) {
      if (guard.nextDueAt > t) continue;
      publish(guard, t);
      // Devices do not keep perfect time: +-20 % around the nominal interval.
      guard.nextDueAt += intervalMs * (0.8 + random() * 0.4);
      if (guard.nextDueAt < t - intervalMs) guard.nextDueAt = t; // fell behind: do not burst
    }
  }, TICK_MS);

  return {
    stats: () => ({ ...stats }),
    guardIds: guards.map((g) => g.id),
    async stop(timeoutMs = 10_000): Promise<SimulatorStats> {
      clearInterval(timer);
      if (outstanding > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise((resolve) => setTimeout(resolve, timeoutMs)),
        ]);
      }
      await Promise.all(clients.map((c) => c.endAsync()));
      return { ...stats };
    },
  };
}
