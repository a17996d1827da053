import { describe, expect, it } from 'vitest';
import { readCookie, serializeCookie } from '../../server/auth/cookies';
import { safeNextPath } from '../../server/auth/login-request';
import { originProblem } from '../../server/auth/origin';
import { canSeeSite } from '../../server/auth/session-user';
import { type SessionUser } from '../../contract/users';
import { mayJoin, roomsFor, scopeSnapshot, wantedRooms } from '../../server/realtime/socket-auth';
import { pageAccess } from '../../server/security/page-access';

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
const policy = { allowedOrigins: [] };
const user = (over: Partial<SessionUser>): SessionUser => ({
  id: 'u',
  email: 'u@x',
  name: 'U',
  role: 'supervisor',
  siteIds: ['site-a'],
  kind: 'user',
  ...over,
});

describe('origin check', () => {
  it('accepts the same host', () => {
    expect(
      originProblem(headers({ origin: 'https://wf.example', host: 'wf.example' }), policy, {
        requireOrigin: true,
      }),
    ).toBeNull();
  });
  it('refuses another site', () => {
    expect(
      originProblem(headers({ origin: 'https://evil.example', host: 'wf.example' }), policy, {
        requireOrigin: true,
      }),
    ).toMatch(/not allowed/);
  });
  it('refuses a mutation without Origin unless the browser says same-origin', () => {
    expect(originProblem(headers({ host: 'wf.example' }), policy, { requireOrigin: true })).toMatch(
      /no Origin/,
    );
    expect(
      originProblem(headers({ host: 'wf.example', 'sec-fetch-site': 'same-origin' }), policy, {
        requireOrigin: true,
      }),
    ).toBeNull();
  });
  it('uses the allow-list when one is configured', () => {
    const listed = { allowedOrigins: ['https://wf.example'] };
    expect(
      originProblem(headers({ origin: 'https://wf.example', host: 'internal:3000' }), listed, {
        requireOrigin: true,
      }),
    ).toBeNull();
    expect(
      originProblem(headers({ origin: 'http://internal:3000', host: 'internal:3000' }), listed, {
        requireOrigin: true,
      }),
    ).not.toBeNull();
  });
});

describe('site scoping', () => {
  it('lets admins see every site and unassigned things', () => {
    expect(canSeeSite(user({ siteIds: 'all', role: 'admin' }), null)).toBe(true);
  });
  it('limits others to their sites', () => {
    expect(canSeeSite(user({}), 'site-a')).toBe(true);
    expect(canSeeSite(user({}), 'site-b')).toBe(false);
    expect(canSeeSite(user({}), null)).toBe(false);
  });
  it('joins only the rooms of visible sites, and their command rooms only when it may act', () => {
    expect(roomsFor(user({}), ['site-a', 'site-b'])).toEqual([
      'site:site-a',
      'site:site-a:commands',
    ]);
    expect(roomsFor(user({ siteIds: 'all', role: 'admin' }), ['site-a'])).toEqual([
      'site:site-a',
      'site:unassigned',
      'site:site-a:commands',
      'site:unassigned:commands',
    ]);
    expect(roomsFor(user({ role: 'viewer' }), ['site-a', 'site-b'])).toEqual(['site:site-a']);
    expect(roomsFor(user({ kind: 'kiosk', role: 'viewer' }), ['site-a'])).toEqual(['site:site-a']);
  });
  it('cuts the snapshot down', () => {
    const snapshot = {
      sites: [{ id: 'site-a' }, { id: 'site-b' }],
      guards: [{ siteId: 'site-a' }, { siteId: 'site-b' }, { siteId: null }],
      openAlerts: [{ siteId: 'site-b' }],
    } as unknown as Parameters<typeof scopeSnapshot>[0];
    const scoped = scopeSnapshot(snapshot, user({}));
    expect(scoped.sites).toHaveLength(1);
    expect(scoped.guards).toHaveLength(1);
    expect(scoped.openAlerts).toHaveLength(0);
  });
});

describe('pages and cookies', () => {
  it('sends strangers to login, kiosks only to the wall, non-admins away from /admin', () => {
    expect(pageAccess('/', null)).toBe('login');
    expect(pageAccess('/login', null)).toBe('allow');
    expect(pageAccess('/wall', user({ kind: 'kiosk', role: 'viewer' }))).toBe('allow');
    expect(pageAccess('/', user({ kind: 'kiosk', role: 'viewer' }))).toBe('login');
    expect(pageAccess('/admin/users', user({}))).toBe('forbidden');
  });
  it('never redirects after login to another site', () => {
    expect(safeNextPath('//evil.example/x')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath('/wall?x=1')).toBe('/wall?x=1');
  });
  it.each([
    '//x',
    '/\\x',
    '/%09/x',
    '/%0a/x',
    '/%5c/x',
    '/\t/x',
    '/%2f/x',
    'https://x',
    'javascript:alert(1)',
    '/%E0%A4%A', // malformed escape
  ])('refuses the off-site or malformed next %j', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });
  it('keeps a local path with its query and fragment', () => {
    expect(safeNextPath('/admin/users?tab=2#x')).toBe('/admin/users?tab=2#x');
    expect(safeNextPath('/wall/../admin')).toBe('/admin');
  });
  it('writes HttpOnly SameSite=Strict cookies, Secure when asked', () => {
    const cookie = serializeCookie('__Host-wf_session', 'tok', 60, { secure: true });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    expect(readCookie(`a=1; __Host-wf_session=tok`, '__Host-wf_session')).toBe('tok');
  });
});

describe('rooms a principal may be in now (the re-checks compare them)', () => {
  it('allows exactly the rooms it would be given', () => {
    const sites = ['site-a', 'site-b'];
    const principals = [
      user({}),
      user({ role: 'viewer' }),
      user({ role: 'admin', siteIds: 'all' }),
      user({ kind: 'kiosk', role: 'viewer', siteIds: ['site-b'] }),
      user({ kind: 'kiosk', role: 'viewer', siteIds: 'all' }),
    ];
    const every = [...new Set(principals.flatMap((p) => wantedRooms(p, sites)))];
    for (const principal of principals) {
      const wanted = new Set(wantedRooms(principal, sites));
      for (const room of every)
        expect([room, mayJoin(principal, room)]).toEqual([room, wanted.has(room)]);
    }
  });

  it('refuses a demoted admin the admin room and a supervisor a lost site', () => {
    expect(mayJoin(user({ role: 'supervisor' }), 'admin')).toBe(false);
    expect(mayJoin(user({ siteIds: ['site-a'] }), 'site:site-b')).toBe(false);
    expect(mayJoin(user({ siteIds: ['site-a'] }), 'site:site-a:commands')).toBe(true);
    expect(mayJoin(user({ role: 'viewer', siteIds: ['site-a'] }), 'site:site-a:commands')).toBe(
      false,
    );
  });
});
