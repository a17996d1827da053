/**
 * Ingest slot leases on the real Redis: when is a slot abandoned? A fault run
 * (Redis down longer than the lease, then a PostgreSQL restart) lost every
 * later message because the ingest took over its own lapsed slot and ended
 * the sessions it was receiving on. A slot is taken over only when it stayed
 * without a lease for a whole lease as seen by the taker, and never by the
 * process that holds it.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { createIngestSlots, slotKey, type SlotLease } from '../../server/mqtt/ingest-slots';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const LEASE_MS = 1_500;
const logger = createLogger('silent');
let redis: Redis;
const held: SlotLease[] = [];

beforeAll(() => {
  redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await Promise.all(held.map((lease) => lease.release(true)));
  await redis.quit();
});

/** Two ingest processes' slot tables on one deployment prefix. */
function twoProcesses() {
  const prefix = uniqueId('wft-slots');
  const table = () => createIngestSlots({ redis, prefix, slots: 4, leaseMs: LEASE_MS, logger });
  return { prefix, a: table(), b: table() };
}

async function lease(table: ReturnType<typeof createIngestSlots>): Promise<SlotLease> {
  const taken = await table.lease();
  held.push(taken);
  return taken;
}

describe('ingest slot takeover', () => {
  it('never takes over a slot its own process holds, even when its lease lapsed', async () => {
    const { prefix, a } = twoProcesses();
    const mine = await lease(a);
    await redis.del(slotKey(prefix, mine.slot)); // the lease lapsed while Redis was away
    const start = Date.now();
    expect(await a.abandoned(start)).toEqual([]);
    expect(await a.abandoned(start + 10 * LEASE_MS)).toEqual([]);
    // Its renewal mends the lapse.
    await waitFor(async () => (await redis.exists(slotKey(prefix, mine.slot))) === 1, {
      timeoutMs: 3 * LEASE_MS,
      what: 'the lapsed lease renewed',
    });
  });

  it('takes over a dead process’s slot only after it stayed without a lease for a whole lease', async () => {
    const { a, b } = twoProcesses();
    const dead = await lease(a);
    await dead.release(false); // stops renewing, keeps its session: a SIGKILL
    const start = Date.now();
    expect(await b.abandoned(start)).toEqual([]);
    expect(await b.abandoned(start + LEASE_MS - 1)).toEqual([]);
    const taken = await b.abandoned(start + LEASE_MS);
    held.push(...taken);
    expect(taken.map((t) => t.slot)).toEqual([dead.slot]);
  });

  it('leaves a slot alone when its live owner mends the lapse in time', async () => {
    const { prefix, a, b } = twoProcesses();
    const live = await lease(a);
    await redis.del(slotKey(prefix, live.slot));
    const start = Date.now();
    expect(await b.abandoned(start)).toEqual([]); // first seen free
    await waitFor(async () => (await redis.exists(slotKey(prefix, live.slot))) === 1, {
      timeoutMs: 3 * LEASE_MS,
      what: 'the live owner to renew',
    });
    expect(await b.abandoned(start + LEASE_MS)).toEqual([]); // seen leased again: not abandoned
    // Free again from now on: the whole lease is counted anew.
    await live.release(false);
    const again = Date.now();
    expect(await b.abandoned(again)).toEqual([]);
    const taken = await b.abandoned(again + LEASE_MS);
    held.push(...taken);
    expect(taken.map((t) => t.slot)).toEqual([live.slot]);
  });
});
