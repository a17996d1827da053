/**
 * Logged-in browser pages for e2e tests: a real user row and session in the
 * stack's database, its cookie set on a fresh browser context.
 */
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../server/config';
import type { Role } from '../../contract/users';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';
import type { LiveStack } from './harness';
import { waitFor } from './wait-for';

export interface BrowserUser {
  user: TestUser;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
}

/** Creates users and pages on the stack; cleanup() closes the pages and removes the users. */
export function createBrowserUsers(stack: LiveStack, browser: Browser) {
  const config = loadConfig(stack.serverEnv);
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  const users: TestUser[] = [];
  return {
    pool,
    async open(
      role: Role,
      viewport = { width: 1280, height: 720 },
      siteIds: string[] = [],
    ): Promise<BrowserUser> {
      const user = await createTestUser(pool, config, {
        role,
        siteIds: siteIds.length > 0 ? siteIds : await allSiteIds(pool),
      });
      users.push(user);
      const context = await browser.newContext({ viewport });
      const [name, ...value] = user.cookie.split('=');
      await context.addCookies([{ name: name!, value: value.join('='), url: stack.baseUrl }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      return { user, page, errors };
    },
    async cleanup() {
      await removeTestUsers(pool, users);
      await pool.end();
    },
  };
}

async function allSiteIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM sites');
  return rows.map((row) => row.id);
}

/**
 * Console errors a page may legitimately log here: the tile probe of a
 * deliberately unreachable tile server (refused, or blocked by the page's
 * content security policy), and socket retries while a server restarts.
 */
export function unexpectedErrors(errors: readonly string[]): string[] {
  return errors.filter(
    (message) =>
      !/ERR_CONNECTION_REFUSED|Content Security Policy|ERR_NAME_NOT_RESOLVED|tiles\.invalid|socket\.io|WebSocket/.test(
        message,
      ),
  );
}

/** Waits until the page's connection indicator says live (its snapshot applied), or the stack died. */
export async function waitUntilLive(page: Page, stack: LiveStack, timeoutMs = 60_000) {
  await waitFor('the screen to say live', () => page.locator('[data-connection="live"]').count(), {
    timeoutMs,
    intervalMs: 100,
    abortIf: () => stack.crashed(),
  });
}
