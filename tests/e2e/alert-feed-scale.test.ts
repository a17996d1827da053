/**
 * A bad night: 5,000 open alerts (four of them pinned SOS) in the stack's
 * database when a supervisor opens the page. The feed renders a bounded
 * number of cards however far it is scrolled, keeps the pinned SOS alerts in
 * view, and an acknowledgement deep in the list takes effect. Timings are
 * printed, never asserted (shared, noisy machine).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `feed-scale-${name}.png`);
const OPEN_ALERTS = 5_000;
const PINNED_SOS = 4;
/** Pinned alerts held above the list (components/alerts/alert-feed.tsx); the rest head the list. */
const PINNED_HELD = 2;
/** Cards in the DOM at most: the few dozen in view and the margins, never one per alert. */
const MAX_RENDERED_CARDS = 40;
const WAIT = { timeoutMs: 60_000, intervalMs: 100 };

describe('alert feed with 5,000 open alerts', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let supervisor: BrowserUser;
  let feed: Locator;
  let pinned: Locator;

  beforeAll(async () => {
    stack = await startLiveStack({ guards: 4, rate: 0.2 });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    mkdirSync(RESULTS, { recursive: true });
    const key = `e2e-feed-scale-${randomBytes(4).toString('hex')}-`;
    // One statement: what a night of ingest would have stored, newest at i = 1.
    await users.pool.query(
      `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
       SELECT gen_random_uuid(), CASE WHEN i <= $2 THEN 'sos' WHEN i % 3 = 0 THEN 'intrusion' ELSE 'tamper' END,
              (CASE WHEN i <= $2 THEN 'critical' WHEN i % 3 = 0 THEN 'high' ELSE 'medium' END)::"AlertSeverity",
              'Night alert #' || i,
              (SELECT id FROM sites ORDER BY id LIMIT 1 OFFSET i % 2),
              now() - i * interval '5 seconds', $3 || i
       FROM generate_series(1, $1::int) AS i`,
      [OPEN_ALERTS, PINNED_SOS, key],
    );
    // The control room's screen size; at 1280x720 the list is short but windowed the same way.
    supervisor = await users.open('supervisor', { width: 1920, height: 1080 });
    const started = performance.now();
    await supervisor.page.goto(`${stack.baseUrl}/`);
    await waitUntilLive(supervisor.page, stack);
    feed = supervisor.page.getByRole('list', { name: 'Alert feed' });
    pinned = supervisor.page.getByRole('list', { name: 'Pinned alerts' });
    await waitFor('the feed’s first cards', () => feed.locator('.wf-alert').count(), WAIT);
    console.log(
      `[e2e] page live with ${OPEN_ALERTS} open alerts in ${Math.round(performance.now() - started)} ms`,
    );
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
  }, 60_000);

  const renderedCards = () => supervisor.page.locator('.wf-alert').count();

  it('renders a bounded number of cards, with the pinned SOS alerts held in view', async () => {
    const page = supervisor.page;
    expect(await renderedCards()).toBeLessThanOrEqual(MAX_RENDERED_CARDS);
    // The list is as tall as all 5,000 cards: the unrendered ones keep their room.
    const scrollHeight = await feed.evaluate((list) => list.scrollHeight);
    expect(scrollHeight).toBeGreaterThan(OPEN_ALERTS * 50);
    // Two pinned held above the list, the other two head the list, and the note says so.
    expect(await pinned.locator('.wf-alert--pinned').count()).toBe(PINNED_HELD);
    expect(await page.locator('.wf-feed__more-pinned').textContent()).toContain(
      `${PINNED_SOS - PINNED_HELD} more pinned alerts`,
    );
    expect(await feed.locator('.wf-alert').first().getAttribute('data-alert-type')).toBe('sos');
    await page.screenshot({ path: shot('top') });

    // Deep into the list: other cards, still bounded, the pinned ones still on screen.
    const before = await feed.locator('.wf-alert').first().getAttribute('data-alert-id');
    const scrolled = performance.now();
    await feed.evaluate((list) => list.scrollTo({ top: list.scrollHeight / 2 }));
    await waitFor(
      'cards from the middle of the list',
      async () =>
        (await feed.locator('.wf-alert').first().getAttribute('data-alert-id')) !== before,
      WAIT,
    );
    console.log(
      `[e2e] scroll to the middle rendered in ${Math.round(performance.now() - scrolled)} ms`,
    );
    const middle = await feed.locator('.wf-alert__message').allTextContents();
    const numbers = middle.map((text) => Number(text.replace('Night alert #', '')));
    expect(Math.min(...numbers)).toBeGreaterThan(1_000);
    expect(await renderedCards()).toBeLessThanOrEqual(MAX_RENDERED_CARDS);
    for (const card of await pinned.locator('.wf-alert').all()) {
      expect(await card.isVisible()).toBe(true);
    }
    await page.screenshot({ path: shot('middle') });
    expect(unexpectedErrors(supervisor.errors)).toEqual([]);
  }, 120_000);

  it('acknowledges a card deep in the list', async () => {
    const live = stack!;
    const wait = { ...WAIT, abortIf: () => live.crashed() };
    const page = supervisor.page;
    // A card in the middle of the scrolled list whose Acknowledge button is in view.
    const cards = await feed.locator('.wf-alert[data-status="open"]').all();
    const box = await feed.boundingBox();
    let target: Locator | null = null;
    for (const card of cards) {
      const button = await card.getByRole('button', { name: 'Acknowledge' }).boundingBox();
      if (box && button && button.y >= box.y && button.y + button.height <= box.y + box.height) {
        target = card;
        break;
      }
    }
    expect(target).not.toBeNull();
    const id = (await target!.getAttribute('data-alert-id')) ?? '';
    const clicked = performance.now();
    await target!.getByRole('button', { name: 'Acknowledge' }).click();
    const card = page.locator(`[data-alert-id="${id}"].wf-alert`);
    await waitFor(
      'the card to show the acknowledgement',
      async () => (await card.getAttribute('data-status')) === 'acknowledged',
      wait,
    );
    console.log(
      `[e2e] acknowledge -> card updated in ${Math.round(performance.now() - clicked)} ms`,
    );
    const { rows } = await users!.pool.query<{ status: string }>(
      'SELECT status FROM alerts WHERE id = $1',
      [id],
    );
    expect(rows[0]?.status).toBe('acknowledged');
    expect(await card.locator('.wf-alert__state').textContent()).toContain('Test supervisor');

    // Acknowledging a pinned SOS lets the next one move up into view; the note counts one less.
    const firstPinned = pinned.locator('.wf-alert').first();
    const pinnedId = (await firstPinned.getAttribute('data-alert-id')) ?? '';
    await firstPinned.getByRole('button', { name: 'Acknowledge' }).click();
    await waitFor(
      'the acknowledged SOS to leave the pinned strip',
      async () =>
        (await pinned.locator(`[data-alert-id="${pinnedId}"]`).count()) === 0 &&
        (await page.locator('.wf-feed__more-pinned').textContent())?.includes(
          `${PINNED_SOS - PINNED_HELD - 1} more pinned alert `,
        ) === true,
      wait,
    );
    expect(await pinned.locator('.wf-alert--pinned').count()).toBe(PINNED_HELD);
    expect(await renderedCards()).toBeLessThanOrEqual(MAX_RENDERED_CARDS);
    await page.screenshot({ path: shot('acknowledged') });
    expect(unexpectedErrors(supervisor.errors)).toEqual([]);
  }, 120_000);
});
