/**
 * What the account CLIs (`npm run users`, `npm run kiosk`) need to make a
 * change the way the admin API does (server/users/account-actions.ts): the
 * database, and the sealed event channel, so that every web node drops the
 * live screens of a changed user or revoked wall at once.
 */
import pg from 'pg';
import type { Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createEventPublisher } from '../../server/realtime/event-channel';
import { createRedis } from '../../server/redis';
import { createChannelCodec } from '../../server/security/channel-codec';
import type { AccountDeps } from '../../server/users/account-actions';

/** Runs fn with the deps; closes them after (the channel flushes what was published). */
export async function withAccountDeps<T>(
  config: Config,
  fn: (deps: AccountDeps) => Promise<T>,
): Promise<T> {
  const logger = createLogger('warn', { service: 'watchfloor-cli' });
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  pool.on('error', () => undefined);
  const redis = createRedis(config, { name: 'cli-events', logger });
  const publish = createEventPublisher(redis, config.EVENT_CHANNEL_PREFIX, logger, {
    codec: createChannelCodec(config.CHANNELS_ENCRYPTION_KEY),
  });
  try {
    return await fn({ pool, publish });
  } finally {
    // QUIT is queued behind the PUBLISH: the event goes out before the connection closes.
    await redis.quit().catch(() => redis.disconnect());
    await pool.end();
  }
}
