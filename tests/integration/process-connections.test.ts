/**
 * Each role, started alone in a process, holds exactly the Redis connections
 * its start-up line states (issue 14, point 4): counted in CLIENT LIST on the
 * real Redis by the names the process gives them (its queue prefix first),
 * and none left once it stopped.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/config';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { requireServiceUrls } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
});

afterAll(async () => {
  await redis.quit();
});

/** Open connections whose name starts with the app's queue prefix. */
async function connectionsOf(app: TestApp): Promise<string[]> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  const mine = `${app.config.QUEUE_PREFIX}:`;
  return list
    .split('\n')
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith(mine));
}

/** The start-up line of the role: its message and the count it states. */
function statedBy(app: TestApp, role: Role): { msg: string; redis: number } {
  const line = app.logs.find((l) => l.role === role && typeof l.redisConnections === 'number');
  if (!line) throw new Error(`no connections line for ${role}`);
  return { msg: String(line.msg), redis: line.redisConnections as number };
}

describe('Redis connections per role', () => {
  // Two worked queues: one blocking connection each, opened by BullMQ.
  const cases: [Role, Record<string, string>, number][] = [
    ['web', {}, 6],
    ['ingest', {}, 1],
    ['worker', { WORKER_QUEUES: 'critical,high_priority' }, 4],
  ];

  it.each(cases)(
    'a %s process holds the connections its start-up line states',
    async (role, env, expected) => {
      const app = await startTestApp({ ROLES: role, ...env });
      try {
        if (role === 'ingest')
          await waitFor(() => app.logs.some((l) => l.msg === INGEST_READY), {
            what: 'the ingest ready',
          });
        const stated = statedBy(app, role);
        expect(stated.msg).toMatch(new RegExp(`^\\[${role}\\] connections: redis ${expected} \\(`));
        expect(stated.redis).toBe(expected);
        // Connections a library opens itself (duplicate()) arrive a moment after start-up.
        const open = await waitFor(
          async () => {
            const names = await connectionsOf(app);
            return names.length >= stated.redis && names;
          },
          { what: `${stated.redis} connections of the ${role} process`, intervalMs: 50 },
        );
        expect(open.length, open.join(', ')).toBe(stated.redis);
      } finally {
        await app.stop();
      }
      await waitFor(async () => (await connectionsOf(app)).length === 0, {
        what: `the ${role} process's connections closed`,
        intervalMs: 50,
      });
    },
  );

  it('a process of every role shares its connections between the roles', async () => {
    const app = await startTestApp({ WORKER_QUEUES: 'critical,high_priority' });
    try {
      const started = app.logs.find((l) => l.msg === 'watchfloor started');
      // web 6 + 2 blocking worker connections: commands and waiting connections serve every role.
      expect(started?.redisConnections).toBe(8);
      const open = await waitFor(
        async () => {
          const names = await connectionsOf(app);
          return names.length >= 8 && names;
        },
        { what: '8 connections', intervalMs: 50 },
      );
      expect(open.length, open.join(', ')).toBe(8);
    } finally {
      await app.stop();
    }
  });
});
