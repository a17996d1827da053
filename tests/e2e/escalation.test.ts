/**
 * Escalation in the browser, on the real stack with a real SMTP sink: an admin
 * writes a policy for the harbour site on /admin/escalation (e-mail at once,
 * a second address 4 s later); an SOS comes in over MQTT; both e-mails arrive,
 * the alert card and the wall's banner say "Escalated", its "Who was told"
 * timeline lists both steps as sent, the e-mail's map link opens the live map
 * on the alert's guard, and after the admin acknowledges on the alert's own
 * page the timeline names who did. Screenshots at each stage.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { connectTestDevice } from './mqtt-device';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `escalation-${name}.png`);
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const VIEWPORT = { width: 1280, height: 800 };
const GUARD = 'guard-2';
const LEAD = `lead.${Date.now()}@sink.test`;
const OPS = `ops.${Date.now()}@sink.test`;

describe('escalation: a policy edited on the admin page, its timeline on an alert', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let sink: SmtpSink | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let admin: BrowserUser;
  let wall: BrowserUser;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startLiveStack({ guards: 4, rate: 1, env: { SMTP_URL: sink.url } });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    admin = await users.open('admin', VIEWPORT);
    admin.page.on('dialog', (dialog) => void dialog.accept());
    wall = await users.open('viewer', { width: 1920, height: 1080 });
    mkdirSync(RESULTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
    await sink?.close();
  }, 60_000);

  it('saves a two-step policy for the harbour site through the editor', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/escalation`);
    await waitFor('the policy table', () => page.getByTestId('policy-table').count(), WAIT);
    // A fresh install escalates critical alerts to the site's supervisors by default.
    await expect
      .poll(() => page.locator('[data-policy="default-critical"]').textContent())
      .toContain('site supervisors');
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByRole('form', { name: 'Escalation policy' });
    // The first select is the site (its label's name includes the chosen option's text).
    await form.locator('select').first().selectOption('site-harbour');
    await form.locator('input[name="step-0-emails"]').fill(LEAD);
    await form.getByRole('button', { name: 'Add step' }).click();
    await form.locator('input[name="step-1-after"]').fill('4');
    await form.locator('input[name="step-1-emails"]').fill(OPS);
    await page.screenshot({ path: shot('1-editor'), fullPage: true });
    await form.getByRole('button', { name: 'Save policy' }).click();
    const row = page.locator('[data-policy="site-harbour-critical"]');
    await waitFor('the saved policy', () => row.count(), WAIT);
    expect(await row.textContent()).toContain(OPS);
    await page.screenshot({ path: shot('2-saved'), fullPage: true });
  }, 90_000);

  it('shows the timeline of an SOS under that policy, escalated, then acknowledged', async () => {
    const page = admin.page;
    await Promise.all([page.goto(stack!.baseUrl), wall.page.goto(`${stack!.baseUrl}/wall`)]);
    await Promise.all([waitUntilLive(page, stack!), waitUntilLive(wall.page, stack!)]);
    const marker = `escalation e2e ${Date.now()}`;
    const device = await connectTestDevice('esc-phone');
    try {
      await device.publish(
        `alert/${GUARD}/sos`,
        { ts: Date.now(), guardId: GUARD, message: marker },
        2,
      );
    } finally {
      await device.close();
    }
    const wait = { ...WAIT, abortIf: () => stack!.crashed() };
    const card = page.locator('li.wf-alert', { hasText: marker });
    await waitFor('the SOS in the feed', () => card.count(), wait);
    await waitFor('the first e-mail', () => sink!.mails.find((m) => m.to.includes(LEAD)), wait);
    await waitFor('the second step', () => sink!.mails.find((m) => m.to.includes(OPS)), wait);
    await waitFor('"Escalated" on the card', () => card.getByTestId('escalated').count(), wait);
    const banner = wall.page.locator('.wf-banner[data-alert-type="sos"]', { hasText: marker });
    await waitFor(
      '"Escalated" on the wall banner',
      () => banner.getByTestId('escalated').count(),
      wait,
    );
    await wall.page.screenshot({ path: shot('3-wall-escalated') });

    await card.getByRole('button', { name: 'Who was told' }).click();
    const timeline = card.getByTestId('escalation-timeline');
    await waitFor(
      'both steps sent in the timeline',
      async () => (await timeline.locator('[data-status="sent"]').count()) >= 2,
      wait,
    );
    expect(await timeline.textContent()).toContain(LEAD);
    expect(await timeline.textContent()).toContain(OPS);
    await card.screenshot({ path: shot('3-feed-timeline') });

    const alertId = await card.getAttribute('data-alert-id');
    const mail = sink!.mails.find((m) => m.to.includes(LEAD))!;
    // Quoted-printable: soft line breaks may split a link.
    const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(text).toContain(`/alerts/${alertId}`);
    // The e-mail's map link opens the live map on the alert, with its guard selected.
    expect(text).toContain(`/?alert=${alertId}`);
    await page.goto(`${stack!.baseUrl}/?alert=${alertId}`);
    await waitFor(
      "the linked alert's guard selected",
      () => page.locator(`[data-guard-detail="${GUARD}"]`).count(),
      wait,
    );
    await page.screenshot({ path: shot('3-map-link') });
    await page.goto(`${stack!.baseUrl}/alerts/${alertId}`);
    await waitFor('the alert page', () => page.getByTestId('escalation-timeline').count(), wait);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await waitFor(
      'the acknowledgement in the timeline',
      () => page.locator('[data-status="acknowledged"]').count(),
      wait,
    );
    expect(await page.getByTestId('alert-status').textContent()).toMatch(/acknowledged/i);
    await page.screenshot({ path: shot('4-alert-page'), fullPage: true });
    expect(unexpectedErrors(admin.errors)).toEqual([]);
  }, 120_000);
});
