/**
 * The admin page on the real stack (server, simulator publishing GPS, real
 * broker): the route table matches server/queues/routes.ts entry for entry,
 * and the server's process is listed live;
 * an admin finds a job that failed for real (a publish_mqtt job for a
 * command row that does not exist), reads its error, fixes the cause,
 * retries it and sees it complete; pauses a queue and sees its backlog grow,
 * resumes it and sees it drain; a supervisor gets 403 on /admin and its APIs.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_NAMES, routeFor, toBullPriority } from '../../server/queues/routes';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `admin-${name}.png`);
const WAIT = { timeoutMs: 60_000, intervalMs: 100 };
const GPS_QUEUE = routeFor('process_guard_gps').queue;
const COMMAND_QUEUE = routeFor('publish_mqtt').queue;

/** Jobs waiting in a queue's row: waiting + prioritized (routed jobs all carry a priority). */
async function backlog(page: Page, queue: string): Promise<number> {
  const row = page.locator(`[data-testid="queue-table"] tr[data-queue="${queue}"]`);
  const read = async (state: string) =>
    Number((await row.locator(`[data-count="${state}"]`).innerText()).replace(/,/g, ''));
  return (await read('waiting')) + (await read('prioritized'));
}

describe('admin console', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let admin: BrowserUser;
  let supervisor: BrowserUser;
  let queue: Queue | undefined;
  /** The injected job's command, removed afterwards with the admin's own commands. */
  const commandId = randomUUID();

  beforeAll(async () => {
    stack = await startLiveStack({ guards: 8, rate: 2 });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    admin = await users.open('admin', { width: 1440, height: 900 });
    supervisor = await users.open('supervisor');
    mkdirSync(RESULTS, { recursive: true });
    queue = new Queue(COMMAND_QUEUE, {
      connection: { url: stack.serverEnv.REDIS_URL },
      prefix: stack.runId,
    });
    await admin.page.goto(`${stack.baseUrl}/admin`);
    await waitUntilLive(admin.page, stack);
  }, 300_000);

  afterAll(async () => {
    await queue?.close();
    await browser?.close();
    if (users) {
      await users.pool.query(`DELETE FROM device_commands WHERE id = $1 OR requested_by = $2`, [
        commandId,
        admin.user.id,
      ]);
      await users.cleanup();
    }
    await stack?.stop();
  }, 60_000);

  it('shows the route table of server/queues/routes.ts entry for entry', async () => {
    // The table fills from the first statistics push, which may come after "live".
    await waitFor(
      'the route table',
      () => admin.page.locator('[data-testid="route-table"] tbody tr').count(),
      { ...WAIT, abortIf: () => stack!.crashed() },
    );
    const rows = await admin.page
      .locator('[data-testid="route-table"] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => {
          const field = (name: string) =>
            tr.querySelector(`[data-field="${name}"]`)?.textContent?.trim() ?? '';
          return {
            task: field('task'),
            queue: field('queue'),
            priority: Number(field('priority')),
            bullPriority: Number(field('bullPriority')),
            handler: field('handler'),
          };
        }),
      );
    expect(rows).toEqual(
      TASK_NAMES.map((task) => ({
        task,
        queue: routeFor(task).queue,
        priority: routeFor(task).priority,
        bullPriority: toBullPriority(routeFor(task).priority),
        handler: `server/handlers/${task.replace(/^process_/, '').replace(/_/g, '-')}.ts`,
      })),
    );
    // Workers of the server process are listed with their pid and concurrency.
    await expect
      .poll(() => admin.page.locator(`tr[data-queue="${GPS_QUEUE}"] .wf-admin-workers li`).count())
      .toBeGreaterThan(0);
    // And the deployment's processes, each live (the stack's server process reports itself).
    await expect
      .poll(() => admin.page.locator('.wf-processes li[data-state="live"]').count(), {
        timeout: WAIT.timeoutMs,
      })
      .toBeGreaterThan(0);
    await admin.page.screenshot({ path: shot('queues'), fullPage: true });
  });

  it('finds a failed job, reads its error, retries it once fixed, and sees it complete', async () => {
    const page = admin.page;
    // A command job whose row is missing: the handler refuses it for good (UnrecoverableError).
    await queue!.add(
      'publish_mqtt',
      { commandId },
      {
        jobId: commandId,
        priority: toBullPriority(routeFor('publish_mqtt').priority),
        attempts: 8,
      },
    );

    await page.getByRole('tab', { name: /^Jobs/ }).click();
    await page.getByLabel('Queue').selectOption(COMMAND_QUEUE);
    await page.getByRole('tab', { name: /^failed/ }).click();
    const row = page.locator(`[data-testid="job-table"] tr[data-job="${commandId}"]`);
    await waitFor('the failed job in the list', () => row.count(), WAIT);
    await row.click();
    const error = page.getByTestId('job-error');
    await waitFor('the job error', () => error.count(), WAIT);
    expect(await error.innerText()).toContain(`command ${commandId} does not exist`);
    expect(await page.getByTestId('job-payload').innerText()).toContain(commandId);
    await page.screenshot({ path: shot('failed-job'), fullPage: true });

    // Fix the cause: the command the job is for now exists (to a seeded guard).
    await users!.pool.query(
      `INSERT INTO device_commands (id, target_kind, target_id, site_id, type, payload, updated_at)
       VALUES ($1, 'guard', 'guard-1', 'site-harbour', 'locate', '{}', now())`,
      [commandId],
    );
    await page.getByTestId('job-detail').getByRole('button', { name: 'Retry' }).click();
    await waitFor(
      'the retried job to complete',
      async () => (await page.getByTestId('job-state').innerText()) === 'completed',
      WAIT,
    );
    const { rows } = await users!.pool.query<{ status: string }>(
      `SELECT status::text FROM device_commands WHERE id = $1`,
      [commandId],
    );
    // Published: the simulator, answering as the guard's phone, may have acknowledged it already.
    expect(['sent', 'acknowledged']).toContain(rows[0]?.status);
    const audit = await users!.pool.query(
      `SELECT 1 FROM audit_log WHERE action = 'job.retry' AND target = $1`,
      [`job:${COMMAND_QUEUE}/${commandId}`],
    );
    expect(audit.rowCount).toBe(1);
    await page.screenshot({ path: shot('retried-job'), fullPage: true });
  });

  it('pauses a queue and sees its backlog grow, resumes it and sees it drain', async () => {
    const page = admin.page;
    await page.getByRole('tab', { name: 'Queues & routes' }).click();
    const row = page.locator(`[data-testid="queue-table"] tr[data-queue="${GPS_QUEUE}"]`);
    await row.getByRole('button', { name: 'Pause' }).click();
    await waitFor(
      'the queue to show paused',
      async () => (await row.getAttribute('data-paused')) === 'true',
      WAIT,
    );
    const atPause = await backlog(page, GPS_QUEUE);
    const grown = await waitFor(
      'the backlog to grow while paused',
      async () => {
        const now = await backlog(page, GPS_QUEUE);
        return now >= atPause + 10 ? now : null;
      },
      WAIT,
    );
    await page.screenshot({ path: shot('paused'), fullPage: true });

    await row.getByRole('button', { name: 'Resume' }).click();
    await waitFor(
      'the backlog to drain after resume',
      async () =>
        (await row.getAttribute('data-paused')) === 'false' &&
        (await backlog(page, GPS_QUEUE)) < Math.min(grown, 5),
      WAIT,
    );
    const audit = await users!.pool.query(
      `SELECT action FROM audit_log WHERE target = $1 AND action IN ('queue.pause', 'queue.resume') AND actor_id = $2`,
      [`queue:${GPS_QUEUE}`, admin.user.id],
    );
    expect(audit.rows.map((r: { action: string }) => r.action).sort()).toEqual([
      'queue.pause',
      'queue.resume',
    ]);
  });

  it('sends a device command and shows it sent (or already acknowledged by the phone)', async () => {
    const page = admin.page;
    await page.getByRole('tab', { name: 'Device commands' }).click();
    await page.getByLabel('Guard id', { exact: true }).fill('guard-1');
    await page.getByLabel('Command', { exact: true }).selectOption('message');
    await page.getByLabel('Message', { exact: true }).fill('<b>Call the desk</b>');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    // The simulator answers as guard-1's phone, so "sent" may turn "acknowledged" at once.
    const sent = page.locator(
      '[data-testid="command-table"] tr:is([data-status="sent"], [data-status="acknowledged"])',
      { hasText: '<b>Call the desk</b>' },
    );
    await waitFor('the command to show as sent', () => sent.count(), WAIT);
    await page.screenshot({ path: shot('commands'), fullPage: true });
  });

  it('refuses a supervisor the page and its APIs with 403', async () => {
    const base = stack!.baseUrl;
    const response = await supervisor.page.goto(`${base}/admin`);
    expect(response?.status()).toBe(403);
    const api = supervisor.page.request;
    const headers = { origin: base };
    for (const path of [
      '/api/admin/routes',
      '/api/admin/queues',
      `/api/admin/queues/${GPS_QUEUE}/jobs?state=failed`,
      '/api/admin/quarantine',
    ]) {
      expect((await api.get(`${base}${path}`)).status(), path).toBe(403);
    }
    const pause = await api.post(`${base}/api/admin/queues/${GPS_QUEUE}`, {
      headers,
      data: { action: 'pause' },
    });
    expect(pause.status()).toBe(403);
    const retry = await api.post(`${base}/api/admin/queues/${COMMAND_QUEUE}/jobs/x`, {
      headers,
      data: { action: 'retry' },
    });
    expect(retry.status()).toBe(403);
  });

  it('logged no unexpected browser errors', () => {
    expect(unexpectedErrors(admin.errors), admin.errors.join('\n')).toEqual([]);
  });
});
