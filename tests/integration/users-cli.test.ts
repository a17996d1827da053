/**
 * `npm run users` sets where a user's escalation e-mails go, as the users page
 * and API do: stored, audited with the CLI as the actor, and refused with a
 * clear message when the address is not one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script';
import { requireServiceUrls, uniqueId } from '../helpers/services';

const urls = requireServiceUrls();
const email = `cli-${randomBytes(4).toString('hex')}@watchfloor.test`;
const env = {
  DATABASE_URL: urls.databaseUrl,
  REDIS_URL: urls.redisUrl,
  EVENT_CHANNEL_PREFIX: `${uniqueId('wft-cli')}:events`,
};
const users = (args: string[], stdin = '') => runScript('scripts/users.ts', args, { env, stdin });
let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.query(`DELETE FROM users WHERE email = $1`, [email]);
  await pool.end();
});

async function stored(): Promise<{ id: string; notification_email: string | null }> {
  const { rows } = await pool.query(`SELECT id, notification_email FROM users WHERE email = $1`, [
    email,
  ]);
  return rows[0];
}

async function auditActions(id: string): Promise<{ action: string; actor_label: string }[]> {
  const { rows } = await pool.query(
    `SELECT action, actor_label FROM audit_log WHERE target = $1 ORDER BY at, id`,
    [`user:${id}`],
  );
  return rows;
}

describe('npm run users: escalation e-mail address', () => {
  it('creates a user with --notify, lists it, changes it, clears it, each audited', async () => {
    const created = await users(
      [
        'create',
        email,
        '--name',
        'Night Lead',
        '--role',
        'supervisor',
        '--notify',
        'Duty@Example.org',
      ],
      'a long enough passphrase\n',
    );
    expect(created.out).toContain(`created ${email}`);
    expect(created.code).toBe(0);
    const { id, notification_email } = await stored();
    expect(notification_email).toBe('duty@example.org');

    const list = await users(['list']);
    expect(list.out).toContain(
      `${email}  supervisor  Night Lead  sites=-  notify=duty@example.org`,
    );

    const changed = await users(['set-notification-email', email, 'team@example.org']);
    expect(changed.out).toContain(`escalation e-mails for ${email} go to team@example.org`);
    expect(changed.code).toBe(0);
    expect((await stored()).notification_email).toBe('team@example.org');

    const cleared = await users(['set-notification-email', email, '--clear']);
    expect(cleared.out).toContain(`go to ${email} (the login email)`);
    expect((await stored()).notification_email).toBeNull();

    expect(await auditActions(id)).toEqual([
      { action: 'user.create', actor_label: 'cli' },
      { action: 'user.set_notification_email', actor_label: 'cli' },
      { action: 'user.set_notification_email', actor_label: 'cli' },
    ]);
  });

  it('refuses an address that is not one, and changes nothing', async () => {
    const before = await stored();
    const run = await users(['set-notification-email', email, 'not-an-address']);
    expect(run.code).not.toBe(0);
    expect(run.out).toContain('must be an e-mail address');
    expect(await stored()).toEqual(before);
    const none = await users(['set-notification-email', email]);
    expect(none.code).not.toBe(0);
    expect(none.out).toContain('give an address, or --clear');
  });
});
