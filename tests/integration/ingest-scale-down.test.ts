/**
 * A graceful scale-down hands an ingest's share over. Two ingest processes
 * share the subscription; one is stopped with SIGTERM mid-traffic and never
 * started again. Mosquitto keeps assigning a member its share while its
 * persistent session lives, so the stopping ingest leaves the share group,
 * processes what the broker had already queued for it, and ends its sessions.
 * The takeover of dead slots is disabled here (INGEST_TAKEOVER_MS far beyond
 * the test): only the hand-over can store the stopped ingest's share.
 * (ingest-gone-for-good.test.ts: the ingest that dies instead; the scenario:
 * tests/helpers/two-ingests.ts.)
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSetKey } from '../../server/mqtt/ingest-slots';
import type { RoleProcess } from '../helpers/role-process';
import { requireServiceUrls } from '../helpers/services';
import { FIXES, setUpTwoIngests } from '../helpers/two-ingests';

const scenario = setUpTwoIngests({
  INGEST_LEASE_MS: '3000',
  INGEST_TAKEOVER_MS: '600000',
  // Start-up wants a takeover well within the session expiry (the run registry ends them after).
  MQTT_SESSION_EXPIRY_S: '3600',
});
let redis: Redis;

beforeAll(() => {
  redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await redis?.quit();
});

/** The slot a process leased (its start-up line). */
function slotOf(ingest: RoleProcess): string {
  return String(ingest.logs.find((l) => l.msg === 'ingest slot leased')?.slot);
}

describe('an ingest scaled down with SIGTERM', () => {
  it('hands its share over: every message stored once, its sessions ended', async () => {
    const [leaving, staying] = scenario.ingests as [RoleProcess, RoleProcess];
    let stopped: Promise<void> | undefined;
    // Not awaited: the traffic goes on while it leaves the group and drains.
    await scenario.publishFixes(() => void (stopped = leaving.kill('SIGTERM')));
    await stopped;
    expect(leaving.child.exitCode, 'the stopped ingest’s exit code').toBe(0);

    const stored = await scenario.storedWithin(30_000);
    expect(stored).toEqual({ rows: FIXES, keys: FIXES });

    // It left the group before ending its sessions, and its slot no longer has one.
    expect(leaving.logs.map((l) => l.msg)).toContain(
      'ingest left the share group and drained its queue',
    );
    const sessions = await redis.smembers(sessionSetKey(scenario.names.QUEUE_PREFIX));
    expect(sessions).not.toContain(slotOf(leaving));
    expect(sessions).toContain(slotOf(staying));
  }, 120_000);
});
