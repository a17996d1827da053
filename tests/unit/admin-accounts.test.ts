/** The admin pages' pure parts: the audit query string and the self-lockout rule. */
import { describe, expect, it } from 'vitest';
import { auditPath, NO_FILTERS } from '../../components/admin/audit-query';
import { siteNames } from '../../components/admin/site-picker';
import { refuseSelfLockout } from '../../server/users/admin-lockout';

describe('auditPath', () => {
  it('asks for one page with no filters', () => {
    expect(auditPath(NO_FILTERS, 50)).toBe('/api/admin/audit?limit=50');
  });

  it('sends local wall-clock times as epoch ms, trims the actor and carries the cursor', () => {
    const path = auditPath(
      { actor: '  dana@watchfloor.test ', action: 'user', from: '2026-11-28T09:00', to: '' },
      25,
      '1234',
    );
    const query = new URL(path, 'http://x').searchParams;
    expect(query.get('actor')).toBe('dana@watchfloor.test');
    expect(query.get('action')).toBe('user');
    expect(query.get('from')).toBe(String(new Date(2026, 10, 28, 9, 0).getTime()));
    expect(query.has('to')).toBe(false);
    expect(query.get('before')).toBe('1234');
  });

  it('drops a time the browser cannot read rather than sending it', () => {
    expect(auditPath({ ...NO_FILTERS, from: 'not a time' }, 10)).toBe('/api/admin/audit?limit=10');
  });
});

describe('refuseSelfLockout', () => {
  const me = 'a';
  it.each([
    [{ delete: true }, 'SELF_DELETION'],
    [{ disabled: true }, 'SELF_DISABLE'],
    [{ role: 'viewer' }, 'SELF_DEMOTION'],
  ])('refuses %o on oneself with %s', (change, code) => {
    expect(() => refuseSelfLockout(me, me, change)).toThrow(expect.objectContaining({ code }));
  });

  it('lets an admin change their own name or password, and anything of someone else', () => {
    expect(() => refuseSelfLockout(me, me, { role: 'admin', disabled: false })).not.toThrow();
    expect(() => refuseSelfLockout(me, 'b', { delete: true })).not.toThrow();
  });
});

describe('siteNames', () => {
  const sites = [{ id: 'site-a', name: 'Harbour' }];
  it('names sites, keeps unknown ids visible, and says all or none', () => {
    expect(siteNames(['site-a', 'gone'], sites)).toBe('Harbour, gone');
    expect(siteNames('all', sites)).toBe('All sites');
    expect(siteNames([], sites)).toBe('None');
  });
});
