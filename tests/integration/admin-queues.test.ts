/**
 * The admin API through the real route handlers against real Redis,
 * PostgreSQL and Mosquitto: who may call it, the route table, server-side
 * paging of a big queue, the job and queue actions (audited, destructive ones
 * only with confirm), dead letters, and the MQTT quarantine.
 */
import { Queue } from 'bullmq';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POST as jobAction,
  GET as jobDetail,
} from '../../app/api/admin/queues/[queue]/jobs/[id]/route';
import { GET as listJobs } from '../../app/api/admin/queues/[queue]/jobs/route';
import { POST as queueAction } from '../../app/api/admin/queues/[queue]/route';
import { GET as queueStats } from '../../app/api/admin/queues/route';
import { GET as quarantine } from '../../app/api/admin/quarantine/route';
import { GET as routesRoute } from '../../app/api/admin/routes/route';
import type { JobDetailDto, JobPageDto, QueueStatsDto, RouteStatsDto } from '../../contract/admin';
import { TASK_NAMES, routeFor, toBullPriority } from '../../server/queues/routes';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const ORIGIN = 'http://watchfloor.test';
/** A queue no test job of the app's own pipeline uses while these tests run. */
const QUEUE = routeFor('process_system_health').queue;
const BIG = 5_000;

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let supervisor: TestUser;
let queue: Queue;

function request(
  path: string,
  user: TestUser | null,
  init: { method?: string; body?: unknown } = {},
) {
  const headers = new Headers({ host: 'watchfloor.test', origin: ORIGIN });
  if (user) headers.set('cookie', user.cookie);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return new Request(`${ORIGIN}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const queueParams = (q: string) => ({ params: Promise.resolve({ queue: q }) });
const jobParams = (q: string, id: string) => ({ params: Promise.resolve({ queue: q, id }) });

async function auditCount(action: string, target: string): Promise<number> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM audit_log WHERE action = $1 AND target = $2 AND actor_id = $3`,
    [action, target, admin.id],
  );
  return rowCount ?? 0;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  app = await startTestApp();
  admin = await createTestUser(pool, app.config, { role: 'admin' });
  supervisor = await createTestUser(pool, app.config, { role: 'supervisor' });
  queue = new Queue(QUEUE, { connection: { url: urls.redisUrl }, prefix: app.config.QUEUE_PREFIX });
});

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await app?.stop();
  await removeTestUsers(pool, [admin, supervisor]);
  await pool?.end();
});

describe('who may use the admin API', () => {
  const calls: [string, (user: TestUser | null) => Promise<Response>][] = [
    ['GET /api/admin/routes', (u) => routesRoute(request('/api/admin/routes', u))],
    ['GET /api/admin/queues', (u) => queueStats(request('/api/admin/queues', u))],
    [
      'GET jobs',
      (u) => listJobs(request(`/api/admin/queues/${QUEUE}/jobs`, u), queueParams(QUEUE)),
    ],
    [
      'GET a job',
      (u) => jobDetail(request(`/api/admin/queues/${QUEUE}/jobs/x`, u), jobParams(QUEUE, 'x')),
    ],
    [
      'POST a queue action',
      (u) =>
        queueAction(
          request(`/api/admin/queues/${QUEUE}`, u, { method: 'POST', body: { action: 'pause' } }),
          queueParams(QUEUE),
        ),
    ],
    [
      'POST a job action',
      (u) =>
        jobAction(
          request(`/api/admin/queues/${QUEUE}/jobs/x`, u, {
            method: 'POST',
            body: { action: 'retry' },
          }),
          jobParams(QUEUE, 'x'),
        ),
    ],
    ['GET /api/admin/quarantine', (u) => quarantine(request('/api/admin/quarantine', u))],
  ];

  it.each(calls)('%s: 401 without a session, 403 for a supervisor', async (_name, call) => {
    expect((await call(null)).status).toBe(401);
    const refused = await call(supervisor);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });
});

describe('reading', () => {
  it('serves the route table of server/queues/routes.ts as JSON', async () => {
    const body = (await (await routesRoute(request('/api/admin/routes', admin))).json()) as {
      routes: RouteStatsDto[];
    };
    expect(body.routes.map((r) => [r.task, r.queue, r.priority, r.bullPriority])).toEqual(
      TASK_NAMES.map((t) => [
        t,
        routeFor(t).queue,
        routeFor(t).priority,
        toBullPriority(routeFor(t).priority),
      ]),
    );
  });

  it('serves every queue with its counts and the workers of this process', async () => {
    const body = (await (await queueStats(request('/api/admin/queues', admin))).json()) as {
      queues: QueueStatsDto[];
    };
    const ours = body.queues.find((q) => q.name === QUEUE)!;
    expect(Object.keys(ours.counts).sort()).toEqual(
      ['active', 'completed', 'delayed', 'failed', 'paused', 'prioritized', 'waiting'].sort(),
    );
    expect(ours.workers).toContainEqual(expect.objectContaining({ pid: process.pid }));
  });

  it(`pages ${BIG} jobs on the server: any page holds pageSize jobs and the total`, async () => {
    const pause = await queueAction(
      request(`/api/admin/queues/${QUEUE}`, admin, { method: 'POST', body: { action: 'pause' } }),
      queueParams(QUEUE),
    );
    expect(pause.status).toBe(200);
    expect(await auditCount('queue.pause', `queue:${QUEUE}`)).toBe(1);
    for (let i = 0; i < BIG; i += 1000) {
      await queue.addBulk(
        Array.from({ length: 1000 }, (_, j) => ({
          name: 'process_system_health',
          data: { n: i + j },
          opts: {
            jobId: `big-${i + j}`,
            priority: toBullPriority(routeFor('process_system_health').priority),
          },
        })),
      );
    }
    const read = async (page: number) =>
      (await (
        await listJobs(
          request(
            `/api/admin/queues/${QUEUE}/jobs?state=prioritized&page=${page}&pageSize=50`,
            admin,
          ),
          queueParams(QUEUE),
        )
      ).json()) as JobPageDto;
    const first = await read(0);
    const deep = await read(BIG / 50 - 1);
    expect(first.total).toBe(BIG);
    expect(first.jobs).toHaveLength(50);
    expect(deep.jobs).toHaveLength(50);
    expect(new Set([...first.jobs, ...deep.jobs].map((j) => j.id)).size).toBe(100);
    await queue.drain();
  });
});

describe('actions', () => {
  it('refuses a destructive action without confirm', async () => {
    const response = await queueAction(
      request(`/api/admin/queues/${QUEUE}`, admin, {
        method: 'POST',
        body: { action: 'clean', state: 'failed', olderThanMs: 0 },
      }),
      queueParams(QUEUE),
    );
    expect(response.status).toBe(422);
  });

  it('resumes the queue', async () => {
    const resume = await queueAction(
      request(`/api/admin/queues/${QUEUE}`, admin, { method: 'POST', body: { action: 'resume' } }),
      queueParams(QUEUE),
    );
    expect(resume.status).toBe(200);
    expect(await queue.isPaused()).toBe(false);
    expect(await auditCount('queue.resume', `queue:${QUEUE}`)).toBe(1);
  });

  it('keeps a job refused by its schema as a dead letter at once, with its error and stack', async () => {
    // The app's own worker fails it for real: a health report missing required fields is
    // refused before its handler runs (server/queues/job-check.ts), with no retries.
    await addBroken('dead-1');
    const row = await waitForFailed('dead-1');
    expect(row).toMatchObject({ attemptsMade: 1, attempts: 2 });
    const detail = await readJob('dead-1');
    expect(detail).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect(detail.failedReason).toMatch(/^JOB_DATA_INVALID: /);
    expect(detail.stacktrace.length).toBeGreaterThan(0);
    expect(detail.data).toContain('"component": "x"');
  });

  it('retries a dead letter, promotes a delayed job and removes one, each audited', async () => {
    const act = async (id: string, body: unknown) =>
      jobAction(
        request(`/api/admin/queues/${QUEUE}/jobs/${id}`, admin, { method: 'POST', body }),
        jobParams(QUEUE, id),
      );
    expect((await act('dead-1', { action: 'retry' })).status).toBe(200);
    await queue.add('process_system_health', {}, { jobId: 'to-promote', delay: 3600_000 });
    await queue.add('process_system_health', {}, { jobId: 'to-remove', delay: 3600_000 });
    expect((await act('to-promote', { action: 'promote' })).status).toBe(200);
    expect(await (await queue.getJob('to-promote'))?.getState()).not.toBe('delayed');
    expect((await act('to-remove', { action: 'remove' })).status).toBe(422);
    expect((await act('to-remove', { action: 'remove', confirm: true })).status).toBe(200);
    expect(await queue.getJob('to-remove')).toBeUndefined();
    expect((await act('to-remove', { action: 'retry' })).status).toBe(404);
    for (const [action, id] of [
      ['job.retry', 'dead-1'],
      ['job.promote', 'to-promote'],
      ['job.remove', 'to-remove'],
    ] as const) {
      expect(await auditCount(action, `job:${QUEUE}/${id}`), action).toBe(1);
    }
  });

  it('retries every failed job, then cleans the failed ones, each with confirmation', async () => {
    // The retried dead letter fails again (its data is still wrong).
    await waitForFailed('dead-1');
    const retryAll = await queueAction(
      request(`/api/admin/queues/${QUEUE}`, admin, {
        method: 'POST',
        body: { action: 'retry_failed', confirm: true },
      }),
      queueParams(QUEUE),
    );
    expect(retryAll.status).toBe(200);
    expect((await retryAll.json()) as { failed: number }).toMatchObject({
      failed: expect.any(Number),
    });
    expect(await auditCount('queue.retry_failed', `queue:${QUEUE}`)).toBe(1);

    await waitForFailed('dead-1');
    const clean = await queueAction(
      request(`/api/admin/queues/${QUEUE}`, admin, {
        method: 'POST',
        body: { action: 'clean', state: 'failed', olderThanMs: 0, confirm: true },
      }),
      queueParams(QUEUE),
    );
    expect(clean.status).toBe(200);
    expect(((await clean.json()) as { removed: number }).removed).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob('dead-1')).toBeUndefined();
    expect(await auditCount('queue.clean', `queue:${QUEUE}`)).toBe(1);
  });
});

async function addBroken(jobId: string): Promise<void> {
  await queue.add(
    'process_system_health',
    { component: 'x', status: 'ok', reportedAt: new Date().toISOString() },
    { jobId, attempts: 2, backoff: { type: 'fixed', delay: 10 } },
  );
}

async function readJob(id: string): Promise<JobDetailDto> {
  const response = await jobDetail(
    request(`/api/admin/queues/${QUEUE}/jobs/${id}`, admin),
    jobParams(QUEUE, id),
  );
  return ((await response.json()) as { job: JobDetailDto }).job;
}

/** Waits until the job is listed among the failed jobs (read through the API). */
function waitForFailed(id: string) {
  return waitFor(
    async () => {
      const response = await listJobs(
        request(`/api/admin/queues/${QUEUE}/jobs?state=failed&pageSize=200`, admin),
        queueParams(QUEUE),
      );
      return ((await response.json()) as JobPageDto).jobs.find((j) => j.id === id);
    },
    { what: `job ${id} among the failed jobs` },
  );
}

describe('the MQTT quarantine', () => {
  it('lists a refused message with its reason, topic, size and escaped first bytes', async () => {
    const topic = `guard/${uniqueId('g')}/gps`;
    const client = await mqtt.connectAsync(urls.mqttUrl, {
      ...mqttPublisherOptions(),
      clientId: uniqueId('wft-pub'),
      reconnectPeriod: 0,
    });
    try {
      await client.publishAsync(topic, Buffer.from('<script>alert(1)</script>\x00\xff'), {
        qos: 1,
      });
    } finally {
      await client.endAsync();
    }
    const page = await waitFor(
      async () => {
        const body = (await (
          await quarantine(request('/api/admin/quarantine?limit=50', admin))
        ).json()) as {
          items: { topic: string; reason: string; size: number; preview: string }[];
        };
        return body.items.find((item) => item.topic === topic);
      },
      { what: 'the refused message in the quarantine' },
    );
    expect(page.reason).toBe('invalid_json');
    // Inert text: markup as is, bytes outside printable ASCII as \xNN (the page renders it as text).
    expect(page.size).toBe(28);
    expect(page.preview).toBe('<script>alert(1)</script>\\x00\\xc3\\xbf');
  });
});
