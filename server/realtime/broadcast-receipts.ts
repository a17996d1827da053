/**
 * Which broadcast-stream entries (./event-stream.ts) a web node already
 * broadcast, read back from the Socket.IO adapter's own stream, so a node that
 * takes over a dead node's unacknowledged entries does not broadcast one twice.
 *
 * A node broadcasts an entry (the adapter's XADD), then acknowledges it
 * (XACK). Killed between the two, it leaves an entry every screen already got
 * that a live node claims after CLAIM_IDLE_MS: without receipts, an SOS showed
 * twice on the screens of the live node (seen in CI, SIGKILL of a web node).
 * So each XADD the adapter makes while an entry is routed carries that entry's
 * id in one more field (sealed with the rest; the adapter reads only its own
 * fields), and the claimer skips the entries the adapter stream names.
 *
 * Coalesced events (positions, fleet statuses and readings) leave later, on a
 * timer, after the XACK went out: a dead node's claimed ones were never sent.
 * An entry whose receipt the adapter stream already trimmed (SOCKET_STREAM_MAX_LEN)
 * is broadcast again: a repeat, never a loss.
 */
import { overriding, type RedisClient } from '../redis';

const SOURCE_FIELD = 'src';
/** Read this far before the oldest claimed entry: the stream's nodes may not share one clock. */
const CLOCK_MARGIN_MS = 5_000;
const PAGE = 1_000;

type StreamEntry = [id: string, fields: string[]];

export interface BroadcastReceipts {
  /** The adapter's Redis client, whose XADDs carry the id of the entry being routed. */
  tag(redis: RedisClient): RedisClient;
  /** Runs `route` (synchronous: the adapter's XADD is issued within emit) as the broadcast of entry `id`. */
  routing(id: string, route: () => void): void;
  /** Of the entry ids given, those the adapter stream holds a broadcast of. */
  broadcastAmong(ids: string[]): Promise<Set<string>>;
}

/** Receipts in the adapter stream `streamName` (read through the client given to tag()). */
export function createBroadcastReceipts(streamName: string): BroadcastReceipts {
  let source: string | null = null;
  let reader: RedisClient | null = null;

  return {
    tag(redis) {
      reader = redis;
      const xadd = (...input: unknown[]) => {
        // The adapter passes its arguments as one array (util.js XADD, ioredis branch).
        const args = (Array.isArray(input[0]) ? input[0] : input) as string[];
        const tagged = source === null ? args : [...args, SOURCE_FIELD, source];
        return (redis.xadd as (...a: string[]) => Promise<string | null>)(...tagged);
      };
      return overriding(redis, { xadd });
    },

    routing(id, route) {
      source = id;
      try {
        route();
      } finally {
        source = null;
      }
    },

    async broadcastAmong(ids) {
      const found = new Set<string>();
      if (ids.length === 0 || !reader) return found;
      const wanted = new Set(ids);
      const oldestMs = Math.min(...ids.map((id) => Number(id.split('-')[0])));
      let start = String(Math.max(0, oldestMs - CLOCK_MARGIN_MS));
      for (;;) {
        const page: StreamEntry[] = await reader.xrange(streamName, start, '+', 'COUNT', PAGE);
        for (const [, fields] of page) {
          for (let i = 0; i < fields.length; i += 2)
            if (fields[i] === SOURCE_FIELD && wanted.has(fields[i + 1]!)) found.add(fields[i + 1]!);
        }
        if (page.length < PAGE) return found;
        start = `(${page.at(-1)![0]}`;
      }
    },
  };
}
