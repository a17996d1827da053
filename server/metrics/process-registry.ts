/**
 * Where processes leave their reports for the web nodes: one Redis key per
 * process that expires unless renewed (a crashed process disappears on its
 * own), plus a sorted set indexing the keys by last report. Values are sealed
 * with the channel codec like every other message that crosses Redis.
 */
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';
import type { ChannelCodec } from '../security/channel-codec';
import type { ProcessReport, ProcessReportSource } from './process-report';

export interface ProcessRegistryOptions {
  redis: RedisClient;
  /** The deployment's event-channel prefix: processes of one deployment share it. */
  prefix: string;
  codec: ChannelCodec;
  /** A report not renewed within this long is gone. */
  ttlMs: number;
  /** Counts reports that failed to open (tampered, foreign key) and were dropped. */
  onRejected?(reason: 'unauthenticated' | 'unreadable'): void;
  now?: () => number;
}

export interface ProcessRegistry {
  publish(report: ProcessReport): Promise<void>;
  /** Removes a process at once (graceful stop), rather than after its TTL. */
  withdraw(id: string): Promise<void>;
  /** Every process whose report has not expired. */
  readAll(): Promise<ProcessReport[]>;
}

/** The registry of one deployment on the given Redis connection. */
export function createProcessRegistry(options: ProcessRegistryOptions): ProcessRegistry {
  const { redis, codec, ttlMs } = options;
  const now = options.now ?? Date.now;
  // One hash tag for the index and every report: MULTI and MGET over them must stay in one cluster slot.
  const index = `${options.prefix}:{processes}`;
  const keyOf = (id: string) => `${index}:${id}`;

  return {
    async publish(report) {
      await redis
        .multi()
        .set(keyOf(report.id), codec.seal(JSON.stringify(report)), 'PX', ttlMs)
        .zadd(index, now(), report.id)
        // Index entries of processes that vanished without withdrawing.
        .zremrangebyscore(index, '-inf', now() - ttlMs)
        .exec();
    },
    async withdraw(id) {
      await redis.multi().del(keyOf(id)).zrem(index, id).exec();
    },
    async readAll() {
      const ids = await redis.zrangebyscore(index, now() - ttlMs, '+inf');
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(keyOf));
      const reports: ProcessReport[] = [];
      for (const value of values) {
        if (value === null) continue;
        let plaintext: Buffer;
        try {
          plaintext = codec.open(value);
        } catch {
          options.onRejected?.('unauthenticated');
          continue;
        }
        try {
          reports.push(JSON.parse(plaintext.toString('utf8')) as ProcessReport);
        } catch {
          options.onRejected?.('unreadable');
        }
      }
      return reports;
    },
  };
}

export interface ProcessReporter {
  /** The last report this process made (published or not), or null before the first. */
  latest(): ProcessReport | null;
  stop(): Promise<void>;
}

/** Publishes this process's report every interval until stopped; stop() withdraws it. */
export function startProcessReporter(options: {
  registry: ProcessRegistry;
  source: ProcessReportSource;
  intervalMs: number;
  logger: Logger;
}): ProcessReporter {
  const { registry, source, logger } = options;
  let failing = false;
  let latest: ProcessReport | null = null;
  const publishOnce = async () => {
    try {
      latest = await source.read();
      await registry.publish(latest);
      if (failing) logger.info('process report published again');
      failing = false;
    } catch (error) {
      // Redis is down: the web nodes will show this process as gone until it is back.
      if (!failing) logger.warn({ err: (error as Error).message }, 'process report not published');
      failing = true;
    }
  };
  // The first report goes out one interval in, once the connection is up and the roles are started.
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(publishOnce);
  }, options.intervalMs);
  return {
    latest: () => latest,
    async stop() {
      clearInterval(timer);
      await running;
      source.stop();
      await registry.withdraw(source.id).catch(() => undefined);
    },
  };
}
