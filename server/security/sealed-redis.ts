/**
 * A Redis client for the Socket.IO Redis Streams adapter that seals everything
 * the adapter writes (web node <-> web node traffic) with the channel codec and
 * opens everything it reads, so Redis never holds a plaintext packet:
 *
 * - stream entries (XADD): all fields become one field `s` holding a token;
 *   XREAD/XRANGE give the adapter back the original fields. An entry that fails
 *   to open reaches the adapter with no fields, which it skips (its offset still
 *   advances, so a forged entry is not read again and again);
 * - PUBLISH payloads (server-side emits, fetchSockets, acks) and what the
 *   duplicated subscriber connections receive ('messageBuffer');
 * - connection-state-recovery sessions (SET ... PX, read back by MULTI GET DEL).
 *
 * The adapter's Redis calls (see @socket.io/redis-streams-adapter dist/util.js,
 * ioredis branch) are: xadd, xread, xrange, set, multi().get().del().exec(),
 * publish, spublish, subscribe + on('messageBuffer'), duplicate, send_command.
 * Anything else passes through unchanged; tests/integration/security-channel
 * reads the raw stream to prove no plaintext gets by.
 */
import { overriding, type RedisClient } from '../redis';
import type { ChannelCodec } from './channel-codec';

const SEALED_FIELD = 's';

type StreamEntry = [id: string, fields: string[]];

export interface SealedRedisOptions {
  codec: ChannelCodec;
  /** Called for each message that failed to open and was dropped. */
  onRejected(reason: 'unauthenticated'): void;
}

/** Wraps an ioredis client (and every client duplicated from it). */
export function sealedRedis(redis: RedisClient, options: SealedRedisOptions): RedisClient {
  const { codec, onRejected } = options;
  // Development without a key: nothing to seal (and binary payloads must stay intact).
  if (!codec.encrypted) return redis;

  const openFields = (entry: StreamEntry): StreamEntry => {
    const [id, fields] = entry;
    if (fields.length === 2 && fields[0] === SEALED_FIELD) {
      try {
        const opened = JSON.parse(codec.open(fields[1]!).toString('utf8')) as unknown;
        if (Array.isArray(opened) && opened.every((v) => typeof v === 'string'))
          return [id, opened];
      } catch {
        // Falls through to the rejection below.
      }
    }
    onRejected('unauthenticated');
    return [id, []];
  };

  const overrides: Record<string, unknown> = {
    xadd(...input: unknown[]) {
      const args = (Array.isArray(input[0]) ? input[0] : input) as (string | number)[];
      const star = args.indexOf('*');
      if (star < 0) throw new Error('sealedRedis: XADD without "*" id is not supported');
      const fields = args.slice(star + 1).map(String);
      return redis.xadd(
        ...([...args.slice(0, star + 1), SEALED_FIELD, codec.seal(JSON.stringify(fields))] as [
          string,
          string,
        ]),
      );
    },
    async xread(...args: (string | number)[]) {
      const xread = redis.xread.bind(redis) as (...a: (string | number)[]) => Promise<unknown>;
      const result = (await xread(...args)) as [string, StreamEntry[]][] | null;
      return result?.map(([stream, entries]) => [stream, entries.map(openFields)]) ?? null;
    },
    async xrange(...args: string[]) {
      const entries = (await redis.xrange(...(args as [string, string, string]))) as StreamEntry[];
      return entries.map(openFields);
    },
    set(key: string, value: string, ...rest: (string | number)[]) {
      return (redis.set as (...a: unknown[]) => Promise<unknown>)(key, codec.seal(value), ...rest);
    },
    multi() {
      // Only the adapter's GETDEL (multi().get(key).del(key).exec()) reads through here.
      const multi = redis.multi();
      const wrapped = {
        get(key: string) {
          multi.get(key);
          return wrapped;
        },
        del(key: string) {
          multi.del(key);
          return wrapped;
        },
        async exec() {
          const results = await multi.exec();
          const first = results?.[0];
          if (first && typeof first[1] === 'string') {
            try {
              first[1] = codec.open(first[1]).toString('utf8');
            } catch {
              onRejected('unauthenticated');
              first[1] = null;
            }
          }
          return results;
        },
      };
      return wrapped;
    },
    publish(channel: string, payload: Buffer | string) {
      return redis.publish(channel, codec.seal(payload));
    },
    spublish(channel: string, payload: Buffer | string) {
      return redis.spublish(channel, codec.seal(payload));
    },
    on(event: string, listener: (...args: unknown[]) => void) {
      if (event !== 'messageBuffer' && event !== 'smessageBuffer') {
        redis.on(event, listener);
        return proxy;
      }
      redis.on(event, (channel: Buffer, payload: Buffer) => {
        let opened: Buffer;
        try {
          opened = codec.open(payload.toString('utf8'));
        } catch {
          onRejected('unauthenticated');
          return;
        }
        listener(channel, opened);
      });
      return proxy;
    },
    duplicate() {
      return sealedRedis(redis.duplicate(), options);
    },
  };

  const proxy = overriding(redis, overrides);
  return proxy;
}
