/**
 * History storage on the real stack: the scheduled maintenance job drops a
 * day partition past its retention (audited), and the admin storage page
 * shows every table with its size, retention and next drop, kept current by
 * the server's pushes; the JSON endpoint serves the same and only to admins.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionName, utcDay } from '../../server/db/partitions';
import { storeGuardFixes } from '../../server/guards/fixes';
import type { StorageDto } from '../../contract/admin';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const WAIT = { timeoutMs: 60_000, intervalMs: 250 };
const expired = new Date(Date.now() - 40 * 86_400_000);
const expiredPartition = partitionName('guard_positions', utcDay(expired));

describe('admin storage', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let admin: BrowserUser;
  let supervisor: BrowserUser;

  beforeAll(async () => {
    stack = await startLiveStack({
      guards: 4,
      rate: 1,
      env: { HISTORY_MAINTENANCE_EVERY_MS: '2000', ADMIN_STORAGE_PUSH_MS: '1000' },
    });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    admin = await users.open('admin', { width: 1440, height: 900 });
    supervisor = await users.open('supervisor');
    mkdirSync(RESULTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
  }, 60_000);

  it('drops a day partition past retention on schedule and audits the drop', async () => {
    // A fix 40 days old: stored (its partition made on demand), then past the 30-day retention.
    const [stored] = await storeGuardFixes(
      users!.pool,
      [
        {
          messageKey: `expired-${stack!.runId}`,
          guardId: `guard-${stack!.runId}`,
          lat: 51.22,
          lon: 4.4,
          fixAt: expired.getTime(),
          accuracyM: 5,
          speedMps: null,
          headingDeg: null,
          receivedAt: Date.now(),
          enqueuedAt: null,
        },
      ],
      { confirmFixes: 2, minMarginM: 10 },
    );
    expect(stored!.status).toBe('stored');
    const audit = await waitFor(
      'the audited drop',
      async () =>
        (
          await users!.pool.query<{ actor_label: string; details: { rowEstimate: unknown } }>(
            `SELECT actor_label, details FROM audit_log
             WHERE action = 'retention.drop_partition' AND target = $1`,
            [`partition:${expiredPartition}`],
          )
        ).rows[0],
      { ...WAIT, abortIf: () => stack!.crashed() },
    );
    expect(audit.actor_label).toBe('system');
    const { rows } = await users!.pool.query(`SELECT to_regclass($1) AS t`, [expiredPartition]);
    expect(rows[0].t).toBeNull();
  });

  it('shows every table with size, retention and next drop, updated by pushes', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/storage`);
    await waitUntilLive(page, stack!);
    const table = page.locator('[data-testid="storage-table"]');
    await table.waitFor({ timeout: 60_000 });
    const names = await table
      .locator('tbody tr[data-table]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-table')));
    expect(names).toEqual([
      'guard_positions',
      'device_telemetry',
      'sensor_readings',
      'guard_status_reports',
      'system_health_reports',
      'alerts',
      'device_commands',
      'audit_log',
    ]);
    const positions = table.locator('tr[data-table="guard_positions"]');
    await expect(positions.innerText()).resolves.toContain('30 days, whole day partitions');
    await expect(positions.locator('[data-next-drop]').innerText()).resolves.toMatch(
      /^guard_positions_p\d{8} at /,
    );

    // Pushed, not polled: the figures' time moves on while the page just sits there.
    const status = page.locator('.wf-conn');
    const first = await status.getAttribute('title');
    await waitFor('a newer push', async () => (await status.getAttribute('title')) !== first, WAIT);

    await positions.getByRole('button', { name: 'guard_positions' }).click();
    const today = partitionName('guard_positions', utcDay(Date.now()));
    await expect(table.locator(`tr[data-partition="${today}"]`).count()).resolves.toBe(1);
    await expect(table.locator(`tr[data-partition="${expiredPartition}"]`).count()).resolves.toBe(
      0,
    );
    await page.screenshot({ path: path.join(RESULTS, 'admin-storage.png'), fullPage: true });
    expect(unexpectedErrors(admin.errors)).toEqual([]);
  });

  it('serves the same as JSON to admins only', async () => {
    const response = await admin.page.request.get(`${stack!.baseUrl}/api/admin/storage`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as StorageDto;
    expect(body.tables.find((t) => t.table === 'system_health_reports')?.retentionDays).toBe(14);
    expect(body.nextMaintenanceAt).not.toBeNull();
    const refused = await supervisor.page.request.get(`${stack!.baseUrl}/api/admin/storage`);
    expect(refused.status()).toBe(403);
  });
});
