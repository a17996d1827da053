/**
 * The admin pages for people and walls on the real stack, in Debian's
 * Chromium: an admin creates a supervisor for one site through the users page
 * (a too-short password is refused with a clear message first); the
 * supervisor logs in in a browser of their own and sees their name (a hostile
 * one, shown as text) and role in the header, and logs out; the admin sets
 * where the supervisor's escalation e-mails go (a malformed address refused),
 * and finds the login, the creation and that change in the audit log page;
 * creates a wall token, a wall shows it live, the admin revokes it and the
 * wall is dropped and then refused; a supervisor gets 403 on the admin pages
 * and APIs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, type BrowserUser, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const shot = (name: string) => path.join(RESULTS, `admin-accounts-${name}.png`);
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const VIEWPORT = { width: 1280, height: 720 };
const HOSTILE_NAME = 'Dana <img src=x onerror=alert(1)>';
const SITE = { id: 'site-harbour', name: 'Harbour Yard (Kleiner Grasbrook)' };

describe('admin: users, wall tokens and the audit log', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let admin: BrowserUser;
  let otherSupervisor: BrowserUser;
  const contexts: BrowserContext[] = [];
  /** Dialogs opened by any page: a hostile string that ran would open one. */
  const dialogs: string[] = [];
  const email = `dana.${Date.now()}@watchfloor.test`;
  const password = 'harbour night shift 42';
  const NOTIFY = `dana.duty.${Date.now()}@watchfloor.test`;

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  }

  beforeAll(async () => {
    stack = await startLiveStack({ guards: 4, rate: 1 });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    admin = await users.open('admin', VIEWPORT);
    admin.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    otherSupervisor = await users.open('supervisor', VIEWPORT, [SITE.id]);
    mkdirSync(RESULTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    if (users) {
      await users.pool.query(`DELETE FROM users WHERE email = $1`, [email]);
      await users.cleanup();
    }
    await stack?.stop();
  }, 60_000);

  it('creates a supervisor for one site through the users page, refusing a weak password first', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/users`);
    await waitFor('the user table', () => page.getByTestId('user-table').count(), WAIT);
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Name').fill(HOSTILE_NAME);
    await form.getByLabel('Role').selectOption('supervisor');
    await form.getByLabel(SITE.name).check();
    await form.getByLabel('Password').fill('too short');
    await form.getByRole('button', { name: 'Create user' }).click();
    const error = page.getByTestId('user-form-error');
    await waitFor('the password to be refused', () => error.count(), WAIT);
    expect(await error.innerText()).toBe('password: at least 12 characters');
    await page.screenshot({ path: shot('users-refused'), fullPage: true });

    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.locator(`[data-testid="user-table"] tr[data-user="${email}"]`);
    await waitFor('the new user in the table', () => row.count(), WAIT);
    expect(await row.locator('[data-field="name"]').innerText()).toBe(HOSTILE_NAME);
    expect(await row.locator('[data-field="role"]').innerText()).toBe('Supervisor');
    expect(await row.locator('[data-field="sites"]').innerText()).toBe(SITE.name);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.screenshot({ path: shot('users'), fullPage: true });
  });

  it('lets the new supervisor log in elsewhere and see their name and role in the header, then log out', async () => {
    const page = await newPage();
    await page.goto(`${stack!.baseUrl}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${stack!.baseUrl}/`);
    const name = page.getByTestId('signed-in-name');
    await waitFor('the signed-in user in the header', () => name.count(), WAIT);
    expect(await name.innerText()).toBe(HOSTILE_NAME);
    expect(await page.getByTestId('signed-in-role').innerText()).toMatch(/^supervisor$/i);
    expect(await page.locator('header img[src="x"]').count()).toBe(0);
    // Not an admin: no way into the admin area from the header.
    expect(await page.locator('header').getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.screenshot({ path: shot('supervisor-header') });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    const back = await page.goto(`${stack!.baseUrl}/`);
    expect(new URL(back!.url()).pathname).toBe('/login');
  });

  it("sets the supervisor's notification e-mail in the edit dialog, refusing a malformed one first", async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/users`);
    const row = page.locator(`[data-testid="user-table"] tr[data-user="${email}"]`);
    await waitFor('the user row', () => row.count(), WAIT);
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${email}` });
    const field = dialog.getByLabel('Notification e-mail');
    // The browser lets "duty@phone" through (no dot needed); the server wants a real domain.
    await field.fill('duty@phone');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const refusal = dialog.getByRole('alert');
    await waitFor('the address to be refused', () => refusal.count(), WAIT);
    expect(await refusal.innerText()).toContain('must be an e-mail address');
    await page.screenshot({ path: shot('notification-email-refused'), fullPage: true });

    await field.fill(NOTIFY);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const shown = row.locator('[data-field="notification-email"]');
    await waitFor('the notification address in the table', () => shown.count(), WAIT);
    expect(await shown.innerText()).toContain(NOTIFY);
    await page.screenshot({ path: shot('notification-email'), fullPage: true });
    const { rows } = await users!.pool.query(
      `SELECT notification_email FROM users WHERE email = $1`,
      [email],
    );
    expect(rows).toEqual([{ notification_email: NOTIFY }]);
  });

  it('shows the login and the user creation in the audit log page, details as text', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/audit`);
    const table = page.getByTestId('audit-table');
    await waitFor('the audit table', () => table.locator('tbody tr[data-audit]').count(), WAIT);

    await page.getByLabel('Who (email, or part of it)').fill(email);
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = table.locator('tbody tr[data-audit]');
    // The filtered page has replaced the unfiltered one once every row is the supervisor's.
    await waitFor(
      "the supervisor's entries alone",
      async () => {
        const actors = await rows.evaluateAll((all) =>
          all.map((r) => r.getAttribute('data-actor')),
        );
        return actors.length > 0 && actors.every((actor) => actor === email);
      },
      WAIT,
    );
    expect(await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-audit')))).toEqual([
      'auth.logout',
      'auth.login',
    ]);
    await page.screenshot({ path: shot('audit-login') });

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Action').selectOption('user.create');
    await page.getByRole('button', { name: 'Apply' }).click();
    const creation = table.locator('tr[data-audit="user.create"]', { hasText: email });
    await waitFor('the user creation', () => creation.count(), WAIT);
    expect(await creation.locator('[data-field="actor"]').innerText()).toBe(admin.user.email);
    expect(await creation.locator('[data-field="details"]').innerText()).toContain(HOSTILE_NAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.screenshot({ path: shot('audit'), fullPage: true });

    await page.getByLabel('Action').selectOption('user.set_notification_email');
    await page.getByRole('button', { name: 'Apply' }).click();
    const setting = table.locator('tr[data-audit="user.set_notification_email"]', {
      hasText: NOTIFY,
    });
    await waitFor('the notification e-mail change', () => setting.count(), WAIT);
    expect(await setting.locator('[data-field="actor"]').innerText()).toBe(admin.user.email);
  });

  it('creates a wall token shown once, and revoking it drops the wall and refuses it after', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/admin/walls`);
    const form = page.getByRole('form', { name: 'New wall token' });
    await form.getByLabel('Wall name').fill('Lobby <b>east</b>');
    await form.getByLabel(SITE.name).check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const once = page.getByTestId('new-wall-token');
    await waitFor('the new wall URL', () => once.count(), WAIT);
    const url = await once.getByLabel('Wall URL').inputValue();
    expect(url).toMatch(new RegExp(`^${stack!.baseUrl}/wall\\?token=[A-Za-z0-9_-]{43}$`));
    const row = page.locator('[data-testid="kiosk-table"] tr', { hasText: 'Lobby <b>east</b>' });
    await waitFor('the new token in the list', () => row.count(), WAIT);
    await page.screenshot({ path: shot('walls-created') });

    const wall = await newPage();
    await wall.goto(url);
    // The token moved into an HttpOnly cookie and out of the address bar.
    expect(new URL(wall.url()).search).toBe('');
    await waitUntilLive(wall, stack!, WAIT.timeoutMs);

    await row.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog');
    await waitFor('the confirmation', () => confirm.isVisible(), WAIT);
    await page.screenshot({ path: shot('walls-revoke-confirm') });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await waitFor(
      'the token to show revoked',
      async () => (await row.getAttribute('data-revoked')) === 'true',
      WAIT,
    );
    // Not "reconnecting" for ever: the wall says its access ended and stops retrying.
    await waitFor(
      'the wall to say it is signed out',
      () => wall.locator('[data-connection="signed-out"]').count(),
      WAIT,
    );
    expect(await wall.locator('.wf-wall__stale').textContent()).toContain('access has ended');
    await wall.screenshot({ path: shot('wall-revoked') });
    const again = await wall.goto(`${stack!.baseUrl}/wall`);
    expect(new URL(again!.url()).pathname).toBe('/login');
    await page.screenshot({ path: shot('walls'), fullPage: true });
  });

  it('refuses a supervisor the admin pages and their APIs with 403', async () => {
    const base = stack!.baseUrl;
    for (const page of ['/admin/users', '/admin/walls', '/admin/audit']) {
      const response = await otherSupervisor.page.goto(`${base}${page}`);
      expect(response?.status(), page).toBe(403);
    }
    const api = otherSupervisor.page.request;
    for (const path of [
      '/api/admin/users',
      '/api/admin/kiosk-tokens',
      '/api/admin/audit',
      '/api/admin/audit/actions',
      '/api/admin/sites',
    ]) {
      expect((await api.get(`${base}${path}`)).status(), path).toBe(403);
    }
    const headers = { origin: base };
    const create = await api.post(`${base}/api/admin/users`, {
      headers,
      data: {
        email: 'x@watchfloor.test',
        name: 'X',
        role: 'admin',
        password: 'long enough password',
      },
    });
    expect(create.status()).toBe(403);
    const promote = await api.patch(`${base}/api/admin/users/${otherSupervisor.user.id}`, {
      headers,
      data: { role: 'admin' },
    });
    expect(promote.status()).toBe(403);
    const token = await api.post(`${base}/api/admin/kiosk-tokens`, {
      headers,
      data: { name: 'w', siteIds: 'all' },
    });
    expect(token.status()).toBe(403);
  });

  it('gives admins the way between the dashboard and the admin area', async () => {
    const page = admin.page;
    await page.goto(`${stack!.baseUrl}/`);
    const adminLink = page.locator('header').getByRole('link', { name: 'Admin' });
    await waitFor('the admin link in the header', () => adminLink.count(), WAIT);
    expect(await page.getByTestId('signed-in-role').innerText()).toMatch(/^admin$/i);
    await adminLink.click();
    await page.waitForURL(`${stack!.baseUrl}/admin`);
    await waitFor('the route table', () => page.getByTestId('route-table').count(), WAIT);
    await page.screenshot({ path: shot('operations') });
    await page.locator('header').getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${stack!.baseUrl}/admin/users`);
    expect(await page.locator('header [aria-current="page"]').innerText()).toBe('Users');
    await waitFor('the user table', () => page.getByTestId('user-table').count(), WAIT);
    // The same page on a 4K wall: nothing stretched or broken.
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.screenshot({ path: shot('users-4k') });
    await page.setViewportSize(VIEWPORT);
    await page.locator('header').getByRole('link', { name: 'Live map' }).click();
    await page.waitForURL(`${stack!.baseUrl}/`);
  });

  it('opened no dialog and logged no unexpected browser errors', () => {
    expect(dialogs).toEqual([]);
    // Chromium logs every 4xx answer: the two 422s are the weak password and the malformed
    // notification address, refused on purpose above.
    const refusedOnPurpose = /status of 422/;
    const errors = unexpectedErrors(admin.errors);
    expect(errors.filter((m) => refusedOnPurpose.test(m))).toHaveLength(2);
    expect(
      errors.filter((m) => !refusedOnPurpose.test(m)),
      admin.errors.join('\n'),
    ).toEqual([]);
  });
});
