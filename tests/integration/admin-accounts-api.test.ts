/**
 * The admin APIs for users, wall tokens, sites and the audit log, through the
 * real route handlers against the real PostgreSQL and Redis, in a database of
 * the file's own (so "the last admin" means exactly the admins made here):
 * admins only (403 for a supervisor, on reads and writes), validation with
 * clear errors, nobody locks themselves or everyone out, every change audited
 * with its client address, and a revoked token or disabled user loses its
 * live socket at once.
 */
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as auditActionsRoute } from '../../app/api/admin/audit/actions/route';
import { GET as auditRoute } from '../../app/api/admin/audit/route';
import { DELETE as revokeKioskRoute } from '../../app/api/admin/kiosk-tokens/[id]/route';
import {
  GET as listKiosksRoute,
  POST as createKioskRoute,
} from '../../app/api/admin/kiosk-tokens/route';
import { GET as sitesRoute } from '../../app/api/admin/sites/route';
import {
  DELETE as deleteUserRoute,
  PATCH as patchUserRoute,
} from '../../app/api/admin/users/[id]/route';
import { GET as listUsersRoute, POST as createUserRoute } from '../../app/api/admin/users/route';
import { POST as loginRoute } from '../../app/api/auth/login/route';
import { GET as meRoute } from '../../app/api/auth/me/route';
import { migrate } from '../../scripts/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/stack/database';
import type { AuditEntryDto } from '../../contract/audit';
import { SERVER_EVENTS } from '../../contract/socket-events';
import { CLIENT_ADDRESS_HEADER } from '../../server/security/client-address';
import { resolveRecipients } from '../../server/escalation/recipients';
import { deleteUser } from '../../server/users/users';
import { createSiteWithGuard } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { idParams, routeRequest, type RouteRequestInit } from '../helpers/route-request';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, sessionCookie, type TestUser } from '../helpers/sessions';
import { waitFor } from '../helpers/wait-for';

const urls = requireServiceUrls();
const databaseUrl = withDatabase(urls.databaseUrl, uniqueId('wf_accounts').replace(/-/g, '_'));
const ADDRESS = '203.0.113.7';
const siteA = 'site-a';
const siteB = 'site-b';

let app: TestApp;
let pool: pg.Pool;
let admin: TestUser;
let otherAdmin: TestUser;
let supervisor: TestUser;
const sockets: Socket[] = [];

/** A request from the admin's browser at ADDRESS, unless told otherwise. */
const as = (user: TestUser, path: string, init: RouteRequestInit = {}) =>
  routeRequest(path, {
    cookie: user.cookie,
    ...init,
    headers: { [CLIENT_ADDRESS_HEADER]: ADDRESS },
  });

async function body<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function createUser(user: TestUser, input: Record<string, unknown>) {
  return createUserRoute(as(user, '/api/admin/users', { method: 'POST', body: input }));
}

const patchUser = (user: TestUser, id: string, input: unknown) =>
  patchUserRoute(
    as(user, `/api/admin/users/${id}`, { method: 'PATCH', body: input }),
    idParams(id),
  );

async function audit(
  query: string,
): Promise<{ entries: AuditEntryDto[]; nextCursor: string | null }> {
  const response = await auditRoute(as(admin, `/api/admin/audit?${query}`));
  expect(response.status).toBe(200);
  return body(response);
}

/** Connects a socket and resolves once its snapshot arrived. */
function liveSocket(auth: { cookie?: string; kioskToken?: string }) {
  const socket = connectSocket(app.baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: auth.cookie ? { cookie: auth.cookie } : {},
    auth: auth.kioskToken ? { kioskToken: auth.kioskToken } : {},
  });
  sockets.push(socket);
  let disconnectedBy: string | null = null;
  socket.on('disconnect', (reason) => (disconnectedBy = reason));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once(SERVER_EVENTS.snapshot, () => resolve());
    socket.once('connect_error', reject);
  });
  return { ready, disconnectedBy: () => disconnectedBy };
}

beforeAll(async () => {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: 'guard-a' });
  await createSiteWithGuard(pool, { siteId: siteB, guardId: 'guard-b' }, { lat: 51.3, lon: 4.5 });
  // The periodic sweep is left at its 30 s: a drop within seconds proves the immediate re-check.
  app = await startTestApp({ DATABASE_URL: databaseUrl });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
  otherAdmin = await createTestUser(pool, app.config, { role: 'admin' });
  supervisor = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteA] });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await app?.stop();
  await pool?.end();
  await dropDatabase(databaseUrl);
});

describe('admins only', () => {
  const id = '00000000-0000-4000-8000-000000000000';
  it.each([
    ['GET /api/admin/users', () => listUsersRoute(as(supervisor, '/api/admin/users'))],
    [
      'GET /api/admin/kiosk-tokens',
      () => listKiosksRoute(as(supervisor, '/api/admin/kiosk-tokens')),
    ],
    ['GET /api/admin/audit', () => auditRoute(as(supervisor, '/api/admin/audit'))],
    [
      'GET /api/admin/audit/actions',
      () => auditActionsRoute(as(supervisor, '/api/admin/audit/actions')),
    ],
    ['GET /api/admin/sites', () => sitesRoute(as(supervisor, '/api/admin/sites'))],
    [
      'POST /api/admin/users',
      () =>
        createUser(supervisor, {
          email: 'x@watchfloor.test',
          name: 'X',
          role: 'admin',
          password: 'long enough password',
        }),
    ],
    ['PATCH /api/admin/users/:id', () => patchUser(supervisor, supervisor.id, { role: 'admin' })],
    [
      'DELETE /api/admin/users/:id',
      () =>
        deleteUserRoute(
          as(supervisor, `/api/admin/users/${id}`, { method: 'DELETE' }),
          idParams(id),
        ),
    ],
    [
      'POST /api/admin/kiosk-tokens',
      () =>
        createKioskRoute(
          as(supervisor, '/api/admin/kiosk-tokens', {
            method: 'POST',
            body: { name: 'w', siteIds: 'all' },
          }),
        ),
    ],
    [
      'DELETE /api/admin/kiosk-tokens/:id',
      () =>
        revokeKioskRoute(
          as(supervisor, `/api/admin/kiosk-tokens/${id}`, { method: 'DELETE' }),
          idParams(id),
        ),
    ],
  ])('answers a supervisor 403 on %s', async (_name, call) => {
    const response = await call();
    expect(response.status).toBe(403);
    expect(await body(response)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses an admin mutation from another origin', async () => {
    const response = await createUserRoute(
      routeRequest('/api/admin/users', {
        method: 'POST',
        cookie: admin.cookie,
        origin: 'https://evil.example',
        body: {
          email: 'csrf@watchfloor.test',
          name: 'C',
          role: 'admin',
          password: 'long enough password',
        },
      }),
    );
    expect(response.status).toBe(403);
    expect(await body(response)).toMatchObject({ error: { code: 'ORIGIN_REFUSED' } });
  });

  it('lists sites by name for the forms', async () => {
    const response = await sitesRoute(as(admin, '/api/admin/sites'));
    expect(await body(response)).toEqual({
      sites: [
        { id: siteA, name: `Test site ${siteA}` },
        { id: siteB, name: `Test site ${siteB}` },
      ],
    });
  });
});

describe('validation', () => {
  type Issues = { error: { code: string; details?: { path: string; message: string }[] } };
  const good = {
    email: 'valid@watchfloor.test',
    name: 'Valid',
    role: 'viewer',
    password: 'a long enough password',
  };

  it.each([
    ['a short password', { password: 'short' }, 'password', 'at least 12 characters'],
    [
      'a password that contains the email',
      { password: 'valid@watchfloor.test!' },
      'password',
      'must not contain',
    ],
    ['a malformed email', { email: 'not-an-email' }, 'email', ''],
    ['an unknown role', { role: 'root' }, 'role', ''],
    ['an empty name', { name: '   ' }, 'name', ''],
    [
      'a malformed notification e-mail',
      { notificationEmail: 'duty phone' },
      'notificationEmail',
      'must be an e-mail address',
    ],
  ])('refuses a user with %s, naming the field', async (_case, change, path, message) => {
    const response = await createUser(admin, { ...good, ...change });
    expect(response.status).toBe(422);
    const issues = (await body<Issues>(response)).error.details ?? [];
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)?.message).toContain(message);
  });

  it('refuses an unknown site with its id', async () => {
    const response = await createUser(admin, { ...good, siteIds: ['site-nowhere'] });
    expect(response.status).toBe(422);
    expect(await body(response)).toMatchObject({
      error: { code: 'UNKNOWN_SITE', message: 'unknown site site-nowhere' },
    });
  });

  it('refuses a taken email with 409', async () => {
    const response = await createUser(admin, { ...good, email: supervisor.email });
    expect(response.status).toBe(409);
    expect(await body(response)).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
  });

  it('refuses fields a user does not have', async () => {
    const response = await patchUser(admin, supervisor.id, { isSuperuser: true });
    expect(response.status).toBe(422);
  });

  it.each([
    ['a malformed time', 'from=yesterday'],
    ['a range that ends before it starts', 'from=1764324000000&to=1764320400000'],
    ['a time that is neither epoch ms nor ISO 8601', 'from=28.11.2026'],
    ['a malformed action', 'action=DROP%20TABLE'],
    ['a malformed cursor', 'before=abc'],
  ])('refuses an audit query with %s', async (_case, query) => {
    const response = await auditRoute(as(admin, `/api/admin/audit?${query}`));
    expect(response.status).toBe(422);
  });

  it('refuses a wall token without a name or sites', async () => {
    for (const input of [
      { name: '', siteIds: 'all' },
      { name: 'Lobby', siteIds: [] },
    ]) {
      const response = await createKioskRoute(
        as(admin, '/api/admin/kiosk-tokens', { method: 'POST', body: input }),
      );
      expect(response.status).toBe(422);
    }
  });
});

describe('no lockout', () => {
  it.each([
    ['demote', { role: 'supervisor' }, 'SELF_DEMOTION'],
    ['disable', { disabled: true }, 'SELF_DISABLE'],
  ])('refuses an admin who would %s themselves', async (_verb, change, code) => {
    const response = await patchUser(admin, admin.id, change);
    expect(response.status).toBe(409);
    expect(await body(response)).toMatchObject({ error: { code } });
  });

  it('refuses an admin who would delete themselves', async () => {
    const response = await deleteUserRoute(
      as(admin, `/api/admin/users/${admin.id}`, { method: 'DELETE' }),
      idParams(admin.id),
    );
    expect(response.status).toBe(409);
    expect(await body(response)).toMatchObject({ error: { code: 'SELF_DELETION' } });
  });

  it("ends a demoted admin's sessions with the demotion: a request meanwhile passes as admin, never as a viewer", async () => {
    otherAdmin.cookie = await sessionCookie(pool, app.config, otherAdmin.id);
    // Hold the demoted admin's sessions so that deleting them waits. KEY SHARE blocks a
    // DELETE but not the request's own session update, so the request runs meanwhile.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM sessions WHERE user_id = $1 FOR KEY SHARE`, [
        otherAdmin.id,
      ]);
      const demotion = patchUser(admin, otherAdmin.id, { role: 'viewer' });
      await waitFor(
        async () => {
          const { rows } = await pool.query(
            `SELECT 1 FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM sessions%'`,
          );
          return rows.length > 0;
        },
        { timeoutMs: 10_000, intervalMs: 20, what: 'the demotion waiting to delete the sessions' },
      );
      // Deleting the sessions is part of the demotion: until both commit, still an admin.
      // (With the deletion after the commit, this request passed as a viewer: 403.)
      const during = await listUsersRoute(as(otherAdmin, '/api/admin/users'));
      expect(during.status).toBe(200);
      await holder.query('COMMIT');
      expect((await demotion).status).toBe(200);
    } finally {
      holder.release();
    }
    const after = await listUsersRoute(as(otherAdmin, '/api/admin/users'));
    expect(after.status).toBe(401);
    await pool.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [otherAdmin.id]);
    otherAdmin.cookie = await sessionCookie(pool, app.config, otherAdmin.id);
  });

  it('lets exactly one of two admins demoting each other at once win', async () => {
    const [a, b] = await Promise.all([
      patchUser(admin, otherAdmin.id, { role: 'viewer' }),
      patchUser(otherAdmin, admin.id, { role: 'viewer' }),
    ]);
    const statuses = [a.status, b.status].sort();
    // The loser is refused: the winner's change either locked it out (401) or left it the last admin (409).
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const { rows } = await pool.query(
      `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL`,
    );
    expect(rows).toHaveLength(1);
    // Both admins again for the tests below, with new sessions (the demoted one's ended).
    await pool.query(`UPDATE users SET role = 'admin' WHERE id = ANY($1::uuid[])`, [
      [admin.id, otherAdmin.id],
    ]);
    admin.cookie = await sessionCookie(pool, app.config, admin.id);
    otherAdmin.cookie = await sessionCookie(pool, app.config, otherAdmin.id);
  });

  it('never deletes or disables the last active admin, even from the CLI', async () => {
    await pool.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [otherAdmin.id]);
    try {
      await expect(deleteUser(pool, admin.id)).rejects.toMatchObject({
        code: 'LAST_ADMIN',
        status: 409,
      });
      const viaApi = await patchUser(admin, otherAdmin.id, { disabled: false });
      expect(viaApi.status).toBe(200);
    } finally {
      await pool.query(`UPDATE users SET disabled_at = NULL WHERE id = $1`, [otherAdmin.id]);
    }
  });
});

describe('user lifecycle', () => {
  const email = `${uniqueId('dana')}@watchfloor.test`;
  const password = 'correct horse battery staple';
  const hostile = '<img src=x onerror=alert(1)> Dana';
  let id: string;

  it('creates a supervisor for one site, who logs in; both audited with who, what and where', async () => {
    const created = await createUser(admin, {
      email,
      name: hostile,
      role: 'supervisor',
      password,
      siteIds: [siteA],
    });
    expect(created.status).toBe(201);
    const { user } = await body<{ user: { id: string; name: string; lastLoginAt: number | null } }>(
      created,
    );
    id = user.id;
    expect(user).toMatchObject({ name: hostile, lastLoginAt: null });

    const login = await loginRoute(
      routeRequest('/api/auth/login', {
        method: 'POST',
        body: { email, password },
        headers: { [CLIENT_ADDRESS_HEADER]: ADDRESS },
      }),
    );
    expect(login.status).toBe(200);
    const listed = await body<{ users: { id: string; lastLoginAt: number | null }[] }>(
      await listUsersRoute(as(admin, '/api/admin/users')),
    );
    expect(listed.users.find((u) => u.id === id)?.lastLoginAt).not.toBeNull();

    const creation = (await audit('action=user.create')).entries.find(
      (e) => e.target === `user:${id}`,
    );
    expect(creation).toMatchObject({
      actorId: admin.id,
      actorLabel: admin.email,
      details: { email, name: hostile, role: 'supervisor', siteIds: [siteA], address: ADDRESS },
    });
    const logins = await audit(`action=auth&actor=${encodeURIComponent(email)}`);
    expect(logins.entries.map((e) => e.action)).toEqual(['auth.login']);
    expect(logins.entries[0]?.details).toMatchObject({ address: ADDRESS });
  });

  it('disables the user: no login, live socket dropped at once; enabling lets them back', async () => {
    const cookie = await sessionCookie(pool, app.config, id);
    const screen = liveSocket({ cookie });
    await screen.ready;
    expect((await patchUser(admin, id, { disabled: true })).status).toBe(200);
    await waitFor(() => screen.disconnectedBy(), {
      timeoutMs: 10_000,
      what: "the disabled user's socket to drop",
    });
    expect((await meRoute(routeRequest('/api/auth/me', { cookie }))).status).toBe(401);
    const refused = await loginRoute(
      routeRequest('/api/auth/login', { method: 'POST', body: { email, password } }),
    );
    expect(refused.status).toBe(401);

    expect((await patchUser(admin, id, { disabled: false })).status).toBe(200);
    const again = await loginRoute(
      routeRequest('/api/auth/login', { method: 'POST', body: { email, password } }),
    );
    expect(again.status).toBe(200);
    const actions = (await audit(`action=user`)).entries
      .filter((e) => e.target === `user:${id}`)
      .map((e) => e.action);
    expect(actions).toEqual(['user.enable', 'user.disable', 'user.create']);
  });

  it('sets where escalation e-mails go: validated, audited, used by escalation, cleared back to the login email', async () => {
    const escalatedTo = async () =>
      (await resolveRecipients(pool, [{ kind: 'user', userId: id }], null)).map((r) => r.recipient);
    expect(await escalatedTo()).toEqual([email]);

    const refused = await patchUser(admin, id, { notificationEmail: 'not an address' });
    expect(refused.status).toBe(422);
    const duty = `Duty.${uniqueId('phone')}@Watchfloor.test`;
    const set = await patchUser(admin, id, { notificationEmail: duty });
    expect(set.status).toBe(200);
    expect(await body(set)).toMatchObject({ user: { notificationEmail: duty.toLowerCase() } });
    expect(await escalatedTo()).toEqual([duty.toLowerCase()]);
    const listed = await body<{ users: { id: string; notificationEmail: string | null }[] }>(
      await listUsersRoute(as(admin, '/api/admin/users')),
    );
    expect(listed.users.find((u) => u.id === id)?.notificationEmail).toBe(duty.toLowerCase());
    // Not an access change: the user's sessions stay.
    const cookie = await sessionCookie(pool, app.config, id);
    expect((await patchUser(admin, id, { notificationEmail: '' })).status).toBe(200);
    expect((await meRoute(routeRequest('/api/auth/me', { cookie }))).status).toBe(200);
    expect(await escalatedTo()).toEqual([email]);

    const entries = (await audit('action=user.set_notification_email')).entries.filter(
      (e) => e.target === `user:${id}`,
    );
    expect(entries.map((e) => [e.actorId, e.details.notificationEmail])).toEqual([
      [admin.id, null],
      [admin.id, duty.toLowerCase()],
    ]);
    expect(entries[0]?.details).toMatchObject({ email, address: ADDRESS });
  });

  it('resets the password (old one refused), then deletes the user', async () => {
    const newPassword = 'another long passphrase';
    expect((await patchUser(admin, id, { password: newPassword })).status).toBe(200);
    const old = await loginRoute(
      routeRequest('/api/auth/login', { method: 'POST', body: { email, password } }),
    );
    expect(old.status).toBe(401);
    const removed = await deleteUserRoute(
      as(admin, `/api/admin/users/${id}`, { method: 'DELETE' }),
      idParams(id),
    );
    expect(removed.status).toBe(200);
    const entries = (await audit('action=user')).entries.filter((e) => e.target === `user:${id}`);
    expect(entries.slice(0, 2).map((e) => e.action)).toEqual(['user.delete', 'user.set_password']);
    expect(JSON.stringify(entries)).not.toContain(newPassword);
  });
});

describe('wall tokens', () => {
  it('creates a token shown once, and revoking it drops the wall at once and refuses it after', async () => {
    const created = await createKioskRoute(
      as(admin, '/api/admin/kiosk-tokens', {
        method: 'POST',
        body: { name: 'Lobby <b>wall</b>', siteIds: [siteA] },
      }),
    );
    expect(created.status).toBe(201);
    const { token, kiosk, wallPath } = await body<{
      token: string;
      kiosk: { id: string; name: string; siteIds: string[] };
      wallPath: string;
    }>(created);
    expect(wallPath).toBe(`/wall?token=${token}`);
    expect(kiosk).toMatchObject({ name: 'Lobby <b>wall</b>', siteIds: [siteA] });
    const listed = await listKiosksRoute(as(admin, '/api/admin/kiosk-tokens'));
    expect(await listed.text()).not.toContain(token);

    const wall = liveSocket({ kioskToken: token });
    await wall.ready;
    const revoked = await revokeKioskRoute(
      as(admin, `/api/admin/kiosk-tokens/${kiosk.id}`, { method: 'DELETE' }),
      idParams(kiosk.id),
    );
    expect(revoked.status).toBe(200);
    await waitFor(() => wall.disconnectedBy(), {
      timeoutMs: 10_000,
      what: 'the revoked wall to drop',
    });
    expect(wall.disconnectedBy()).toBe('io server disconnect');
    await expect(liveSocket({ kioskToken: token }).ready).rejects.toThrow('log in first');

    const again = await revokeKioskRoute(
      as(admin, `/api/admin/kiosk-tokens/${kiosk.id}`, { method: 'DELETE' }),
      idParams(kiosk.id),
    );
    expect(again.status).toBe(404);
    const entries = (await audit('action=kiosk')).entries.filter(
      (e) => e.target === `kiosk:${kiosk.id}`,
    );
    expect(entries.map((e) => e.action)).toEqual(['kiosk.revoke', 'kiosk.create']);
    expect(entries[0]?.details).toMatchObject({ name: 'Lobby <b>wall</b>', address: ADDRESS });
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('takes an expiry in epoch ms (ISO 8601 still read) and refuses one that is past or unreadable', async () => {
    const create = (expiresAt: unknown) =>
      createKioskRoute(
        as(admin, '/api/admin/kiosk-tokens', {
          method: 'POST',
          body: { name: 'Event wall', siteIds: [siteA], expiresAt },
        }),
      );
    const expiresAt = Date.now() + 3_600_000;
    for (const given of [expiresAt, new Date(expiresAt).toISOString()]) {
      const created = await create(given);
      expect(created.status).toBe(201);
      const { kiosk } = await body<{ kiosk: { id: string; expiresAt: number | null } }>(created);
      expect(kiosk.expiresAt).toBe(expiresAt);
      await revokeKioskRoute(
        as(admin, `/api/admin/kiosk-tokens/${kiosk.id}`, { method: 'DELETE' }),
        idParams(kiosk.id),
      );
    }
    for (const refused of [Date.now() - 60_000, 'next week', -1])
      expect((await create(refused)).status).toBe(422);
  });
});

describe('audit log paging and filters', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const all = await audit('limit=500');
    expect(all.nextCursor).toBeNull();
    expect(all.entries.length).toBeGreaterThan(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await audit(`limit=3${cursor ? `&before=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.entries.map((e) => e.id));
    const ids = seen.map(Number);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('filters by time range and by actor id, and lists the actions recorded', async () => {
    const all = (await audit('limit=500')).entries;
    const middle = all[Math.floor(all.length / 2)]!;
    // The range filter takes epoch ms, as entries carry them.
    const newer = (await audit(`limit=500&from=${middle.at}`)).entries;
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.every((e) => e.at >= middle.at)).toBe(true);
    const older = (await audit(`limit=500&to=${middle.at}`)).entries;
    expect(older.every((e) => e.at < middle.at)).toBe(true);
    expect(newer.length + older.length).toBe(all.length);
    // ISO 8601 is still read, as the same instant (links and scripts from before).
    const iso = encodeURIComponent(new Date(middle.at).toISOString());
    const isoNewer = (await audit(`limit=500&from=${iso}`)).entries;
    expect(isoNewer.map((e) => e.id)).toEqual(newer.map((e) => e.id));

    const byAdmin = (await audit(`limit=500&actor=${admin.id}`)).entries;
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.actorId === admin.id)).toBe(true);

    const { actions } = await body<{ actions: string[] }>(
      await auditActionsRoute(as(admin, '/api/admin/audit/actions')),
    );
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'kiosk.revoke', 'user.create']));
  });

  it('matches an actor filter literally (no LIKE wildcards)', async () => {
    const entries = (await audit('limit=500&actor=%25')).entries;
    expect(entries).toEqual([]);
  });
});
