/**
 * The soak's load: the device simulator's realistic mix (GPS at 1 Hz per
 * guard, telemetry, duty status, site sensors, gateway health and a
 * misbehaving device's garbage for the quarantine), sized so the total is the
 * requested rate, plus one SOS a minute that the control room acknowledges
 * and resolves through the HTTP API as a supervisor would.
 */
import type pg from 'pg';
import { createGuards } from '../bench/measure';
import { SENSORS_PER_SITE } from '../simulator/devices';
import { startSimulator } from '../simulator/simulator';
import type { SiteDto } from '../../contract/guards';

/** Messages per second each kind of device sends in the simulator's realistic mix. */
const PER_GUARD = 1 + 1 / 30 + 1 / 600; // GPS, telemetry, duty status
const PER_SITE = SENSORS_PER_SITE / 10 + 1 / 15; // sensors, gateway health
const GARBAGE_PER_S = 0.2;
/** Never: the soak raises its own SOS, on time, rather than the simulator's random ones. */
const NO_RANDOM_ALERTS_S = 1e9;

export interface SosOutcome {
  raisedAt: number;
  guardId: string;
  /** Publish to the alert's row existing, ms; null when it never appeared. */
  storedMs: number | null;
  acknowledged: boolean;
  resolved: boolean;
  error?: string;
}

/** How many guards make `rate` messages per second with the sites' own devices. */
export function guardsForRate(rate: number, sites: number): number {
  return Math.max(1, Math.round((rate - sites * PER_SITE - GARBAGE_PER_S) / PER_GUARD));
}

/** Starts the simulator; `stop()` ends it and waits for outstanding acknowledgements. */
export async function startTraffic(options: {
  pool: pg.Pool;
  sites: SiteDto[];
  rate: number;
  mqtt: { url: string; username?: string; password?: string };
}) {
  const count = guardsForRate(options.rate, options.sites.length);
  const guards = await createGuards(options.pool, 'soak-g', count, options.sites);
  const sim = await startSimulator({
    mqttUrl: options.mqtt.url,
    auth: {
      mode: 'bulk',
      username: options.mqtt.username,
      password: options.mqtt.password,
      connections: 4,
    },
    sites: options.sites,
    knownGuards: guards,
    guards: count,
    rate: 1,
    qos: 1,
    mix: 'realistic',
    alertEverySeconds: NO_RANDOM_ALERTS_S,
    garbagePerSecond: GARBAGE_PER_S,
  });
  return { guards: count, sim };
}

/**
 * Raises one SOS from `guardId`, waits for its alert row, then acknowledges
 * and resolves it through the API with the supervisor's cookie.
 */
export async function sosRoundTrip(options: {
  pool: pg.Pool;
  baseUrl: string;
  cookie: string;
  guardId: string;
  raise: (guardId: string) => number;
  timeoutMs?: number;
}): Promise<SosOutcome> {
  const { pool, guardId } = options;
  const raisedAt = options.raise(guardId);
  const outcome: SosOutcome = {
    raisedAt,
    guardId,
    storedMs: null,
    acknowledged: false,
    resolved: false,
  };
  const deadline = raisedAt + (options.timeoutMs ?? 30_000);
  let alertId: string | null = null;
  while (!alertId && Date.now() < deadline) {
    const { rows } = await pool.query<{ id: string; received_ms: number }>(
      `SELECT id, EXTRACT(EPOCH FROM received_at) * 1000 AS received_ms FROM alerts
       WHERE guard_id = $1 AND type = 'sos' AND raised_at >= to_timestamp($2 / 1000.0)
       ORDER BY raised_at LIMIT 1`,
      [guardId, raisedAt],
    );
    if (rows[0]) {
      alertId = rows[0].id;
      outcome.storedMs = Math.max(0, Math.round(Number(rows[0].received_ms) - raisedAt));
    } else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!alertId) return { ...outcome, error: 'the SOS was not stored within 30 s' };
  const post = async (action: string, body: unknown) => {
    const response = await fetch(`${options.baseUrl}/api/alerts/${alertId}/${action}`, {
      method: 'POST',
      headers: {
        cookie: options.cookie,
        origin: options.baseUrl,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${action}: HTTP ${response.status}`);
  };
  try {
    await post('acknowledge', {});
    outcome.acknowledged = true;
    await post('resolve', { reason: 'soak: checked and cleared' });
    outcome.resolved = true;
  } catch (error) {
    outcome.error = (error as Error).message;
  }
  return outcome;
}
