/**
 * The browser bench's load without the pipeline in the way: guard positions
 * published on the sealed event channel exactly as workers publish them after
 * committing a fix, for every guard the simulator registered, at `rate` Hz
 * each. On 2 cores the full pipeline (MQTT, queues, PostGIS) cannot carry
 * 2,000 fixes/s next to a browser (bench:ingest measures it); this feed lets
 * the page be measured at the load it is meant to take. The web node still
 * unseals, coalesces and emits every fix.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createLogger } from '../server/logger';
import { createEventPublisher } from '../server/realtime/event-channel';
import { CHANNEL_EVENTS } from '../server/realtime/channel-events';
import type { GuardPositionDto } from '../contract/guards';
import { createChannelCodec } from '../server/security/channel-codec';

export interface ChannelFeedOptions {
  databaseUrl: string;
  redisUrl: string;
  /** EVENT_CHANNEL_PREFIX and CHANNELS_ENCRYPTION_KEY of the server under test. */
  channel: string;
  encryptionKey: string;
  ratePerGuard: number;
}

/** Publishing rounds per second: fixes spread over the second, as devices' would be. */
const TICKS_PER_S = 20;
/** About a walking pace, in degrees per fix. */
const STEP_DEG = 0.00002;

interface FedGuard {
  position: GuardPositionDto;
  headingRad: number;
}

/** Starts publishing; resolves to a handle that counts what was sent and stops. */
export async function startChannelFeed(options: ChannelFeedOptions) {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const { rows } = await pool
    .query<{ id: string; site_id: string | null; lat: number; lon: number }>(
      `SELECT id, site_id, ST_Y(last_position::geometry) AS lat, ST_X(last_position::geometry) AS lon
       FROM guards WHERE last_position IS NOT NULL ORDER BY id`,
    )
    .finally(() => pool.end());
  if (rows.length === 0) throw new Error('no guard with a position to feed');
  const guards: FedGuard[] = rows.map((row, i) => ({
    headingRad: (i * 2.399) % (2 * Math.PI),
    position: {
      guardId: row.id,
      siteId: row.site_id,
      lat: row.lat,
      lon: row.lon,
      fixAt: Date.now(),
      accuracyM: 5,
      speedMps: 1.2,
      headingDeg: 0,
    },
  }));

  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const publish = createEventPublisher(redis, options.channel, createLogger('warn'), {
    codec: createChannelCodec(options.encryptionKey),
  });
  const perTick = (guards.length * options.ratePerGuard) / TICKS_PER_S;
  let next = 0;
  let carry = 0;
  let sent = 0;
  const timer = setInterval(() => {
    carry += perTick;
    const now = Date.now();
    for (; carry >= 1; carry -= 1) {
      const guard = guards[next]!;
      next = (next + 1) % guards.length;
      // A slow random walk: the heading drifts, the guard steps along it.
      guard.headingRad += (Math.random() - 0.5) * 0.6;
      const { position } = guard;
      position.lat += Math.cos(guard.headingRad) * STEP_DEG;
      position.lon += Math.sin(guard.headingRad) * STEP_DEG * 1.6;
      position.headingDeg = Math.round(((guard.headingRad * 180) / Math.PI + 360) % 360);
      position.fixAt = now;
      publish({ type: CHANNEL_EVENTS.guardPosition, payload: { ...position } });
      sent += 1;
    }
  }, 1000 / TICKS_PER_S);

  return {
    guards: guards.length,
    sent: () => sent,
    async stop(): Promise<void> {
      clearInterval(timer);
      await redis.quit();
    },
  };
}
