/**
 * A queue nobody works shows in /healthz: a worker whose WORKER_QUEUES leave
 * out `notifications` (a list written before that queue existed) and an
 * escalation e-mail waiting there make the node "degraded" (still 200) with
 * the queue named, and an error in the log, instead of e-mails held in silence.
 */
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../server/http/health';
import { createLogger } from '../../server/logger';
import { QUEUE_NAMES, routeFor } from '../../server/queues/routes';
import { createTaskQueues, type TaskQueues } from '../../server/queues/task-queues';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { requireServiceUrls } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const LEFT_OUT = routeFor('send_escalation_email').queue;

let app: TestApp;
let redis: Redis;
let queues: TaskQueues;

async function health(): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${app.baseUrl}/healthz/details`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

beforeAll(async () => {
  app = await startTestApp({
    ROLES: 'web,worker',
    WORKER_QUEUES: QUEUE_NAMES.filter((q) => q !== LEFT_OUT).join(','),
    UNWORKED_QUEUE_CHECK_MS: '300',
  });
  redis = new Redis(requireServiceUrls().redisUrl, { maxRetriesPerRequest: null });
  queues = createTaskQueues(redis, app.config.QUEUE_PREFIX, createLogger('silent'));
});

afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await app?.stop();
});

describe('unworked queues', () => {
  it('are none while every queue with jobs has a worker', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.advisories['worker.unworkedQueues']).toEqual({ state: 'none', degraded: false });
  });

  it('degrade the node, naming the queue, once a job waits where no worker takes it', async () => {
    const notificationId = randomUUID();
    await queues.enqueue('send_escalation_email', `mail-${notificationId}`, { notificationId });
    const advisory = await waitFor(
      async () => {
        const found = (await health()).body.advisories['worker.unworkedQueues'];
        return found?.degraded ? found : null;
      },
      { timeoutMs: 10_000, what: 'the unworked queue advisory' },
    );
    expect(advisory).toEqual({ state: `${LEFT_OUT} (1 waiting)`, degraded: true });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(app.logs.some((l) => l.queue === LEFT_OUT && l.level === 50)).toBe(true);
  });
});
