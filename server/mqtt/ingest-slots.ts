/**
 * Ingest instance slots, leased in Redis. An ingest process's broker sessions
 * (persistent, so the broker queues its share while it is away) need stable
 * client ids, yet processes come and go: a scaled-down or lost machine never
 * comes back for its share. So each process leases a slot (SET NX PX, renewed
 * every third of the lease) and uses that slot's client ids; a slot with a
 * session the broker may still hold is remembered in a set until that session
 * was drained and ended. When a lease lapses (its process died), a live ingest
 * leases the slot itself and drains it (server/mqtt/session-drain.ts).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisClient } from '../redis';
import type { Logger } from '../logger';

/** Sets the lease if it is free or already ours (a lapse during a Redis outage is mended). */
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface SlotOptions {
  redis: RedisClient;
  /** QUEUE_PREFIX: the slots are the deployment's. */
  prefix: string;
  slots: number;
  leaseMs: number;
  logger: Logger;
}

export interface SlotLease {
  slot: number;
  /** Stops renewing; `sessionEnded` forgets the slot's session (it was drained and ended). */
  release(sessionEnded: boolean): Promise<void>;
}

/** A slot's client id prefix (MQTT_CLIENT_ID-s<slot>): its sessions outlive the process that leased it. */
export function slotClientIdPrefix(clientId: string, slot: number): string {
  return `${clientId}-s${slot}`;
}

/** The Redis key of a slot's lease. */
export function slotKey(prefix: string, slot: number): string {
  return `${prefix}:ingest-slot:${slot}`;
}

/** The set of slots whose broker sessions may still exist. */
export function sessionSetKey(prefix: string): string {
  return `${prefix}:ingest-sessions`;
}

/** Creates the slot table of one process. */
export function createIngestSlots({ redis, prefix, slots, leaseMs, logger }: SlotOptions) {
  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const sessions = sessionSetKey(prefix);
  /**
   * The slots this process holds, its own and those it is draining. A held
   * lease can lapse while Redis is away; that slot is not abandoned: renewing
   * mends the lapse, and taking it over would drain and end the sessions this
   * process is still receiving on (a fault run lost every later message so).
   */
  const held = new Set<number>();
  /** When this process first saw each slot's session without a lease. */
  const freeSince = new Map<number, number>();

  /** Leases `slot` if free; renews it until release(). */
  async function tryLease(slot: number, holder: string): Promise<SlotLease | null> {
    const key = slotKey(prefix, slot);
    const ok = await redis.set(key, holder, 'PX', leaseMs, 'NX');
    if (ok !== 'OK') return null;
    held.add(slot);
    await redis.sadd(sessions, String(slot));
    let lost = false;
    const timer = setInterval(
      () => {
        redis
          .eval(RENEW, 1, key, holder, leaseMs)
          .then((renewed) => {
            if (renewed === 1 || lost) return;
            lost = true;
            // Another ingest took the slot over (we were cut off from Redis past the lease):
            // its takeover and our reconnects contend for the same client ids.
            logger.error({ slot }, 'ingest slot lease lost to another process');
          })
          .catch(() => undefined); // Redis down: the next renewal tries again
      },
      Math.floor(leaseMs / 3),
    );
    timer.unref();
    return {
      slot,
      async release(sessionEnded) {
        clearInterval(timer);
        held.delete(slot);
        if (sessionEnded) await redis.srem(sessions, String(slot));
        await redis.eval(RELEASE, 1, key, holder);
      },
    };
  }

  return {
    owner,
    /** Leases the lowest free slot (a restarted process usually gets its old one back). */
    async lease(): Promise<SlotLease> {
      for (let slot = 0; slot < slots; slot += 1) {
        const lease = await tryLease(slot, owner);
        if (lease) return lease;
      }
      throw new Error(
        `every one of the ${slots} ingest slots is leased: raise MQTT_INGEST_SLOTS ` +
          'or run fewer ingest processes',
      );
    },
    /** True when another process holds a slot lease (it takes the share group's messages). */
    async othersLive(mine: number): Promise<boolean> {
      for (let slot = 0; slot < slots; slot += 1) {
        if (slot !== mine && (await redis.exists(slotKey(prefix, slot)))) return true;
      }
      return false;
    },
    /**
     * Leases, for a takeover, each slot that has a session and has had no lease
     * for a whole lease period as seen from here. A lapse alone proves nothing:
     * after a Redis outage longer than the lease every slot has lapsed, and its
     * live owner mends it at its next renewal (every third of the lease, once
     * its own client reconnected). Taking such a slot over would fight the live
     * owner for its client ids.
     */
    async abandoned(now = Date.now()): Promise<SlotLease[]> {
      const taken: SlotLease[] = [];
      for (const member of await redis.smembers(sessions)) {
        const slot = Number(member);
        if (held.has(slot) || (await redis.exists(slotKey(prefix, slot)))) {
          freeSince.delete(slot);
          continue;
        }
        const since = freeSince.get(slot);
        if (since === undefined) freeSince.set(slot, now);
        if (since === undefined || now - since < leaseMs) continue;
        freeSince.delete(slot);
        const lease = await tryLease(slot, `${owner}:takeover`);
        if (lease) taken.push(lease);
      }
      return taken;
    },
  };
}

export type IngestSlots = ReturnType<typeof createIngestSlots>;
