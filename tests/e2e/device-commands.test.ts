/**
 * Device commands from the guard card, end to end: a supervisor opens a guard,
 * clicks "Locate now" and sees the command go to acknowledged, answered over
 * the real broker by the simulator acting as that guard's phone with the
 * phone's own credentials (per-device user, committed ACL); a message is
 * validated and shown as text; an SOS is acknowledged on the device; a viewer
 * sees no command actions.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GUARDS } from '../../prisma/seed-data';
import { COMMAND_TEXT_MAX_LENGTH } from '../../contract/commands';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { connectTestDevice } from './mqtt-device';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `commands-${name}.png`);
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const GUARD = DEMO_GUARDS[0]!.id;

async function openGuard(page: Page, stack: LiveStack): Promise<Locator> {
  await page.goto(`${stack.baseUrl}/`);
  await waitUntilLive(page, stack);
  await page.getByRole('tab', { name: 'Guards' }).click();
  await page.locator(`[data-guard-id="${GUARD}"] button`).click();
  const card = page.locator(`[data-guard-detail="${GUARD}"]`);
  await card.waitFor();
  return card;
}

describe('device commands from the guard card', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let supervisor: BrowserUser;
  let card: Locator;

  beforeAll(async () => {
    // Every simulated phone connects as itself (the simulator's default device auth).
    stack = await startLiveStack({ guards: DEMO_GUARDS.length, rate: 1 });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    supervisor = await users.open('supervisor');
    mkdirSync(RESULTS, { recursive: true });
    card = await openGuard(supervisor.page, stack);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
  }, 60_000);

  const wait = () => ({ ...WAIT, abortIf: () => stack!.crashed() });

  it('locates a guard now: the phone answers and the command goes to acknowledged', async () => {
    await card.getByRole('button', { name: 'Locate now' }).click();
    const row = card.locator('[data-command]').first();
    await waitFor(
      'the locate command acknowledged by the phone',
      async () => (await row.getAttribute('data-status')) === 'acknowledged',
      wait(),
    );
    expect(await row.locator('.wf-command__type').textContent()).toBe('Locate now');
    const times = (await row.locator('.wf-command__times').textContent()) ?? '';
    expect(times).toMatch(/sent \d\d:\d\d:\d\d/);
    expect(times).toMatch(/acknowledged \d\d:\d\d:\d\d/);
    const commandId = await row.getAttribute('data-command');
    // The phone's reply went through the broker and the ingest into the database.
    const { rows } = await users!.pool.query<{ status: string; target_id: string }>(
      `SELECT status::text, target_id FROM device_commands WHERE id = $1`,
      [commandId],
    );
    expect(rows[0]).toEqual({ status: 'acknowledged', target_id: GUARD });
  }, 90_000);

  it('validates a message and delivers it, shown as text', async () => {
    await card.getByRole('button', { name: 'Send message' }).click();
    const box = card.getByLabel("Message to the guard's phone");
    await card.getByRole('button', { name: 'Send', exact: true }).click();
    expect(await card.getByRole('alert').textContent()).toBe('Write a message first.');
    await box.fill('x'.repeat(COMMAND_TEXT_MAX_LENGTH + 1));
    await card.getByRole('button', { name: 'Send', exact: true }).click();
    expect(await card.getByRole('alert').textContent()).toContain(
      `at most ${COMMAND_TEXT_MAX_LENGTH} characters`,
    );
    const hostile = '<img src=x onerror="window.__pwned=1"> Call the desk';
    await box.fill(hostile);
    await card.getByRole('button', { name: 'Send', exact: true }).click();
    const row = card.locator('[data-command]', { hasText: 'Call the desk' }).first();
    await waitFor(
      'the message delivered',
      async () => (await row.getAttribute('data-status')) === 'acknowledged',
      wait(),
    );
    expect(await row.locator('.wf-command__text').textContent()).toBe(`“${hostile}”`);
    expect(await card.locator('img').count()).toBe(0);
    expect(await supervisor.page.evaluate(() => 'pwned' in window || '__pwned' in window)).toBe(
      false,
    );
  }, 90_000);

  // Before the SOS below: a critical banner would cover the viewer's screen.
  it('shows a viewer the guard card without any command action', async () => {
    const viewer = await users!.open('viewer');
    const viewerCard = await openGuard(viewer.page, stack!);
    await viewerCard.locator('.wf-detail__facts').waitFor();
    expect(await viewerCard.locator('[data-commands]').count()).toBe(0);
    expect(await viewerCard.getByRole('button', { name: 'Locate now' }).count()).toBe(0);
    expect(await viewerCard.getByRole('button', { name: 'Send message' }).count()).toBe(0);
    await viewer.page.screenshot({ path: shot('viewer-1280x720') });
    expect(unexpectedErrors(viewer.errors)).toEqual([]);
  }, 90_000);

  it('acknowledges an open SOS on the device, offered only while the SOS is open', async () => {
    expect(await card.getByRole('button', { name: 'Acknowledge SOS on device' }).count()).toBe(0);
    const device = await connectTestDevice('commands-sos');
    try {
      await device.publish(
        `alert/${GUARD}/sos`,
        { ts: Date.now(), guardId: GUARD, message: 'e2e SOS for a device acknowledgement' },
        2,
      );
    } finally {
      await device.close();
    }
    const button = card.getByRole('button', { name: 'Acknowledge SOS on device' });
    await waitFor('the SOS acknowledgement button', () => button.count(), wait());
    await button.click();
    const row = card.locator('[data-command]', { hasText: 'SOS acknowledged on device' }).first();
    await waitFor(
      'the SOS acknowledgement answered by the phone',
      async () => (await row.getAttribute('data-status')) === 'acknowledged',
      wait(),
    );
    await supervisor.page.screenshot({ path: shot('supervisor-1280x720') });
    expect(unexpectedErrors(supervisor.errors)).toEqual([]);
  }, 90_000);
});
