/**
 * The command API through the real route handlers: who may send to which
 * target, validation at the edge, the audit entry, the queued row and its
 * publish_mqtt job keyed by the command id, and site-scoped reading. Each test
 * makes the commands it asserts on: none relies on what an earlier one left.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getCommandRoute } from '../../app/api/commands/[id]/route';
import { GET as listRoute, POST as sendRoute } from '../../app/api/commands/route';
import { webContext } from '../../server/http/web-context';
import { routeFor, toBullPriority } from '../../server/queues/routes';
import { COMMAND_TEXT_MAX_LENGTH, type CommandDto } from '../../contract/commands';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { startTestApp, type TestApp } from '../helpers/in-process-app';
import { requireServiceUrls, uniqueId } from '../helpers/services';
import { createTestUser, removeTestUsers, type TestUser } from '../helpers/sessions';

const urls = requireServiceUrls();
const ORIGIN = 'http://watchfloor.test';
const siteA = uniqueId('site-a');
const siteB = uniqueId('site-b');
const guardA = uniqueId('ga');
const guardB = uniqueId('gb');

let app: TestApp;
let pool: pg.Pool;
let supervisorA: TestUser;
let viewer: TestUser;
let admin: TestUser;

function post(user: TestUser, body: unknown) {
  return sendRoute(
    new Request(`${ORIGIN}/api/commands`, {
      method: 'POST',
      headers: {
        host: 'watchfloor.test',
        origin: ORIGIN,
        cookie: user.cookie,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }),
  );
}

/** Sends a command that must be accepted; returns it. */
async function send(user: TestUser, body: unknown): Promise<CommandDto> {
  const response = await post(user, body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { command: CommandDto }).command;
}

function get(user: TestUser, path: string) {
  return new Request(`${ORIGIN}${path}`, {
    headers: { host: 'watchfloor.test', cookie: user.cookie },
  });
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId: siteA, guardId: guardA });
  await createSiteWithGuard(pool, { siteId: siteB, guardId: guardB }, { lat: 51.3, lon: 4.5 });
  app = await startTestApp();
  supervisorA = await createTestUser(pool, app.config, { role: 'supervisor', siteIds: [siteA] });
  viewer = await createTestUser(pool, app.config, { role: 'viewer', siteIds: [siteA] });
  admin = await createTestUser(pool, app.config, { role: 'admin' });
});

afterAll(async () => {
  await app?.stop();
  await pool.query(`DELETE FROM device_commands WHERE target_id = ANY($1)`, [[guardA, guardB]]);
  await pool.query(`DELETE FROM alerts WHERE guard_id = ANY($1)`, [[guardA, guardB]]);
  await removeTestUsers(pool, [supervisorA, viewer, admin]);
  await removeSite(pool, siteA);
  await removeSite(pool, siteB);
  await pool.end();
});

describe('sending a command', () => {
  it("queues a supervisor's locate to a guard of their site, with its job and an audit entry", async () => {
    const response = await post(supervisorA, {
      type: 'locate',
      target: { kind: 'guard', id: guardA },
    });
    expect(response.status).toBe(202);
    const { command } = (await response.json()) as { command: CommandDto };
    expect(command).toMatchObject({
      status: 'queued',
      siteId: siteA,
      targetId: guardA,
      type: 'locate',
    });
    expect(command.requestedBy?.id).toBe(supervisorA.id);

    const job = await webContext()
      .admin.queues.queue(routeFor('publish_mqtt').queue)
      .getJob(command.id);
    expect(job?.name).toBe('publish_mqtt');
    expect(job?.data).toEqual({ commandId: command.id });
    expect(job?.opts.priority).toBe(toBullPriority(routeFor('publish_mqtt').priority));
    const audit = await pool.query(
      `SELECT details FROM audit_log WHERE action = 'command.send' AND target = $1 AND actor_id = $2`,
      [`command:${command.id}`, supervisorA.id],
    );
    expect(audit.rows[0]?.details).toEqual({ type: 'locate', target: `guard:${guardA}` });
  });

  it('refuses (403) a supervisor a guard of a site they are not assigned to, and answers 404 for no such device', async () => {
    const other = await post(supervisorA, {
      type: 'locate',
      target: { kind: 'guard', id: guardB },
    });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { code: 'TARGET_OUTSIDE_SITES' } });
    const { rows } = await pool.query(
      `SELECT 1 FROM device_commands WHERE target_id = $1 AND requested_by = $2`,
      [guardB, supervisorA.id],
    );
    expect(rows).toEqual([]);
    const missing = await post(admin, {
      type: 'locate',
      target: { kind: 'device', id: 'no-such-device' },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses a viewer (403) even on their own site, and a bad body (422) with its reason', async () => {
    expect(
      (await post(viewer, { type: 'locate', target: { kind: 'guard', id: guardA } })).status,
    ).toBe(403);
    const tooLong = await post(supervisorA, {
      type: 'message',
      target: { kind: 'guard', id: guardA },
      text: 'x'.repeat(COMMAND_TEXT_MAX_LENGTH + 1),
    });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(await tooLong.json())).toContain('text');
    const bad = await post(supervisorA, {
      type: 'message',
      target: { kind: 'guard', id: guardA },
      text: '',
    });
    expect(bad.status).toBe(422);
    const unknownType = await post(supervisorA, {
      type: 'self_destruct',
      target: { kind: 'guard', id: guardA },
    });
    expect(unknownType.status).toBe(422);
  });

  it('acknowledges an SOS only with an alert the guard raised', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (id, type, severity, message, site_id, guard_id, raised_at, message_key)
       VALUES (gen_random_uuid(), 'sos', 'critical', 'help', $1, $2, now(), $3) RETURNING id`,
      [siteB, guardB, uniqueId('key')],
    );
    const alertId = rows[0]!.id;
    const wrongGuard = await post(admin, {
      type: 'sos_ack',
      target: { kind: 'guard', id: guardA },
      alertId,
    });
    expect(wrongGuard.status).toBe(422);
    expect(await wrongGuard.json()).toMatchObject({ error: { code: 'ALERT_NOT_FOR_TARGET' } });
    const right = await post(admin, {
      type: 'sos_ack',
      target: { kind: 'guard', id: guardB },
      alertId,
    });
    expect(right.status).toBe(202);
    expect(((await right.json()) as { command: CommandDto }).command.payload).toEqual({ alertId });
  });
});

describe('reading commands', () => {
  it("lists one guard's commands with each worker's delivery state, and refuses a viewer", async () => {
    const mine = await send(supervisorA, { type: 'locate', target: { kind: 'guard', id: guardA } });
    const body = (await (
      await listRoute(get(supervisorA, `/api/commands?targetId=${guardA}`))
    ).json()) as { commands: CommandDto[]; delivery: { owner: string; state: string }[] };
    expect(body.commands.map((c) => c.id)).toContain(mine.id);
    expect(body.commands.every((c) => c.targetId === guardA)).toBe(true);
    // An admin sees every site: only the filter keeps another guard's newer command out.
    const otherGuard = await send(admin, { type: 'locate', target: { kind: 'guard', id: guardB } });
    const forAdmin = (await (
      await listRoute(get(admin, `/api/commands?targetId=${guardA}`))
    ).json()) as { commands: CommandDto[] };
    expect(forAdmin.commands.map((c) => c.id)).toContain(mine.id);
    expect(forAdmin.commands.map((c) => c.id)).not.toContain(otherGuard.id);
    // The in-process app runs a worker: its publisher's breaker is reported (closed here).
    expect(body.delivery.map((d) => d.state)).toContain('closed');
    expect(JSON.stringify(body.delivery)).not.toContain('lastFailure');
    expect((await listRoute(get(viewer, '/api/commands'))).status).toBe(403);
    expect((await listRoute(get(supervisorA, '/api/commands?targetId=a/b'))).status).toBe(422);
  });

  it("lists only the supervisor's sites, and hides another site's command", async () => {
    const own = await send(admin, { type: 'locate', target: { kind: 'guard', id: guardA } });
    const command = await send(admin, {
      type: 'message',
      target: { kind: 'guard', id: guardB },
      text: 'gate 2',
    });
    const list = (await (await listRoute(get(supervisorA, '/api/commands'))).json()) as {
      commands: CommandDto[];
    };
    const ids = list.commands.map((c) => c.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(command.id);
    expect(list.commands.every((c) => c.siteId === siteA)).toBe(true);
    const hidden = await getCommandRoute(get(supervisorA, `/api/commands/${command.id}`), {
      params: Promise.resolve({ id: command.id }),
    });
    expect(hidden.status).toBe(404);
    const seen = await getCommandRoute(get(admin, `/api/commands/${command.id}`), {
      params: Promise.resolve({ id: command.id }),
    });
    expect(((await seen.json()) as { command: CommandDto }).command.payload).toEqual({
      text: 'gate 2',
    });
  });
});
