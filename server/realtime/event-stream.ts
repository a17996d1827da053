/**
 * The web nodes' side of the broadcast stream (server/realtime/event-channel.ts):
 * every node is a consumer of one group, so Redis hands each event to exactly
 * one node (XREADGROUP), which broadcasts it through the Socket.IO adapter and
 * acknowledges it (XACK). A node that dies holding unacknowledged events loses
 * them to another node after CLAIM_IDLE_MS (XAUTOCLAIM), which skips those the
 * dead node had already broadcast (./broadcast-receipts.ts): a crash neither
 * drops an event nor shows it twice.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis';
import { backoffDelay } from '../backoff';
import type { Logger } from '../logger';
import { eventStreamKey, openEvent, type ChannelSecurity } from './event-channel';
import type { ChannelEvent } from './channel-events';
import type { BroadcastReceipts } from './broadcast-receipts';

/** The consumer group every web node joins. */
export const WEB_GROUP = 'web';
/** A dead node's unacknowledged events go to a live node after this long. */
export const CLAIM_IDLE_MS = 3_000;
/**
 * Older events are acknowledged without a broadcast: every screen that was
 * connected then has reconnected since (no web node was reading) and got a
 * snapshot from the database.
 */
export const STALE_EVENT_MS = 60_000;
/** A consumer with nothing pending and idle this long was a node that died: it leaves the group. */
export const FORGET_CONSUMER_MS = 10 * 60_000;
const BATCH = 500;
const BLOCK_MS = 1_000;

type Entry = [id: string, fields: string[]];

/**
 * `<command> <subcommand> <stream> ...args` as a script that declares the
 * stream as its key. ioredis finds no key in XGROUP and XINFO subcommands, so
 * on a Redis Cluster it sent them to any master: two times in three (three
 * masters) the answer was MOVED, which ioredis follows at the cost of
 * reloading its whole slot map, every CLAIM_IDLE_MS on every web node. A
 * script is routed by its key like any keyed command; on a single Redis it
 * does the same as the command itself.
 */
const ON_STREAM = `return redis.call(ARGV[1], ARGV[2], KEYS[1], unpack(ARGV, 3))`;

/** Runs XGROUP or XINFO on the stream's node (see ON_STREAM). */
function onStream(
  redis: RedisClient,
  stream: string,
  command: 'XGROUP' | 'XINFO',
  subcommand: string,
  ...args: (string | number)[]
): Promise<unknown> {
  return redis.eval(ON_STREAM, 1, stream, command, subcommand, ...args);
}

export interface EventStreamOptions {
  /** A dedicated connection: the loop blocks on it. */
  redis: RedisClient;
  channel: string;
  security: ChannelSecurity;
  onEvent(event: ChannelEvent): void;
  /** Marks this node's broadcasts with their entry; tells a claimed entry that was broadcast. */
  receipts: Pick<BroadcastReceipts, 'routing' | 'broadcastAmong'>;
  logger: Logger;
  now?: () => number;
}

/** Joins the group and consumes until stop(). */
export function startEventStream({
  redis,
  channel,
  security,
  onEvent,
  receipts,
  logger,
  now = Date.now,
}: EventStreamOptions) {
  const stream = eventStreamKey(channel);
  const consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let running = true;
  let lastClaim = 0;

  async function ensureGroup(): Promise<void> {
    try {
      // '$': a new group starts with what comes next, not the stream's history.
      await onStream(redis, stream, 'XGROUP', 'CREATE', WEB_GROUP, '$', 'MKSTREAM');
    } catch (err) {
      if (!(err as Error).message.includes('BUSYGROUP')) throw err;
    }
  }

  /** Routes and acknowledges entries; `broadcast` holds those a dead node had already sent. */
  async function handle(entries: Entry[], broadcast = new Set<string>()): Promise<void> {
    if (entries.length === 0) return;
    const oldest = now() - STALE_EVENT_MS;
    for (const [id, fields] of entries) {
      if (Number(id.split('-')[0]) < oldest || broadcast.has(id)) continue;
      const sealed = fields[fields.indexOf('e') + 1];
      const event = sealed ? openEvent(sealed, security, logger, stream) : null;
      if (!event) continue;
      try {
        receipts.routing(id, () => onEvent(event));
      } catch (err) {
        logger.error({ err: (err as Error).message, type: event.type }, 'event routing failed');
      }
    }
    await redis.xack(stream, WEB_GROUP, ...entries.map(([id]) => id));
  }

  async function claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(
        stream,
        WEB_GROUP,
        consumer,
        CLAIM_IDLE_MS,
        cursor,
        'COUNT',
        BATCH,
      )) as [string, (Entry | null)[]];
      const live = entries.filter((e): e is Entry => e !== null);
      const broadcast = await receipts.broadcastAmong(live.map(([id]) => id));
      if (live.length > 0)
        logger.info(
          { events: live.length, alreadyBroadcast: broadcast.size },
          'took over a dead node’s events',
        );
      await handle(live, broadcast);
      cursor = next;
    } while (cursor !== '0-0' && running);
    await forgetDeadConsumers();
  }

  /** SIGKILLed nodes never left the group; their entries were claimed above. */
  async function forgetDeadConsumers(): Promise<void> {
    const consumers = (await onStream(
      redis,
      stream,
      'XINFO',
      'CONSUMERS',
      WEB_GROUP,
    )) as unknown[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(
        Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]),
      ) as { name: string; pending: number; idle: number };
      if (info.name !== consumer && info.pending === 0 && info.idle > FORGET_CONSUMER_MS)
        await onStream(redis, stream, 'XGROUP', 'DELCONSUMER', WEB_GROUP, info.name);
    }
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        await ensureGroup();
        while (running) {
          if (now() - lastClaim >= CLAIM_IDLE_MS) {
            lastClaim = now();
            await claimAbandoned();
          }
          const read = (await redis.xreadgroup(
            'GROUP',
            WEB_GROUP,
            consumer,
            'COUNT',
            BATCH,
            'BLOCK',
            BLOCK_MS,
            'STREAMS',
            stream,
            '>',
          )) as [string, Entry[]][] | null;
          await handle(read?.[0]?.[1] ?? []);
          failures = 0;
        }
      } catch (err) {
        if (!running) return;
        failures += 1;
        // NOGROUP (Redis lost its data) is mended by ensureGroup on the next round.
        logger.warn({ err: (err as Error).message }, 'event stream read failed; retrying');
        await new Promise((r) =>
          setTimeout(r, backoffDelay(failures, { baseMs: 100, maxMs: 5000 })),
        );
      }
    }
  }

  const done = loop();
  return {
    consumer,
    /** Stops after the read in progress (at most BLOCK_MS); what it read is acknowledged first. */
    async stop(): Promise<void> {
      running = false;
      await done;
      // Leaves the group: nothing of ours is pending any more.
      await onStream(redis, stream, 'XGROUP', 'DELCONSUMER', WEB_GROUP, consumer).catch(
        () => undefined,
      );
    },
  };
}
