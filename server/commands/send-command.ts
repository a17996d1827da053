/**
 * Sending a command: check the target (and, for an SOS acknowledgement, the
 * alert) exists and the user may reach it, store it as queued, and put its
 * publish_mqtt job on the routed queue keyed by the command id.
 */
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { canSeeSite } from '../auth/session-user';
import { type SessionUser } from '../../contract/users';
import { withTransaction } from '../db/transaction';
import { AppError, ForbiddenError } from '../errors';
import type { CreateCommandInput } from '../../contract/command-request';
import type { CommandDto } from '../../contract/commands';
import type { TaskQueues } from '../queues/task-queues';
import type { PublishMqttJob } from '../../contract/job-data';
import { commandArguments } from './command-schema';
import { insertCommand, markFailed } from './command-store';

export class TargetNotFoundError extends AppError {
  constructor(kind: string, id: string) {
    super('TARGET_NOT_FOUND', `no ${kind} ${id}`, 404);
    this.name = 'TargetNotFoundError';
  }
}

export class TargetOutsideSitesError extends ForbiddenError {
  constructor() {
    super('that guard or device is on a site you are not assigned to', 'TARGET_OUTSIDE_SITES');
    this.name = 'TargetOutsideSitesError';
  }
}

export class AlertNotForTargetError extends AppError {
  constructor() {
    super('ALERT_NOT_FOR_TARGET', 'that alert was not raised by this guard or device', 422);
    this.name = 'AlertNotForTargetError';
  }
}

export class CommandQueueUnavailableError extends AppError {
  constructor() {
    super('COMMAND_QUEUE_UNAVAILABLE', 'the command could not be queued; try again', 503);
    this.name = 'CommandQueueUnavailableError';
  }
}

/** The target's site; null when there is no such target. */
async function targetSite(
  pool: pg.Pool,
  target: CreateCommandInput['target'],
): Promise<{ siteId: string | null } | null> {
  const sql =
    target.kind === 'guard'
      ? `SELECT site_id FROM guards WHERE id = $1`
      : `SELECT COALESCE(d.site_id, g.site_id) AS site_id
           FROM devices d LEFT JOIN guards g ON g.id = d.guard_id WHERE d.id = $1`;
  const { rows } = await pool.query<{ site_id: string | null }>(sql, [target.id]);
  return rows[0] ? { siteId: rows[0].site_id } : null;
}

async function assertAlertOfTarget(pool: pg.Pool, user: SessionUser, input: CreateCommandInput) {
  if (input.type !== 'sos_ack') return;
  const { rows } = await pool.query<{ site_id: string | null; ours: boolean }>(
    `SELECT site_id, (device_id = $2 OR guard_id = $2) AS ours FROM alerts WHERE id = $1`,
    [input.alertId, input.target.id],
  );
  const alert = rows[0];
  if (!alert || !canSeeSite(user, alert.site_id) || !alert.ours) throw new AlertNotForTargetError();
}

export interface SendCommandDeps {
  pool: pg.Pool;
  queues: Pick<TaskQueues, 'enqueue'>;
}

/** Validated input in, the stored (queued) command out, committed with its audit entry. */
export async function sendCommand(
  { pool, queues }: SendCommandDeps,
  user: SessionUser,
  input: CreateCommandInput,
): Promise<CommandDto> {
  const site = await targetSite(pool, input.target);
  if (!site) throw new TargetNotFoundError(input.target.kind, input.target.id);
  // Refused, not hidden: a supervisor reaches a guard's id from a shared radio call or a
  // colleague's screen, and "no such guard" would send them looking for a typo.
  if (!canSeeSite(user, site.siteId)) throw new TargetOutsideSitesError();
  await assertAlertOfTarget(pool, user, input);
  const command = await withTransaction(pool, async (client) => {
    const created = await insertCommand(client, {
      targetKind: input.target.kind,
      targetId: input.target.id,
      siteId: site.siteId,
      type: input.type,
      payload: commandArguments(input),
      requestedBy: user.kind === 'user' ? user.id : null,
    });
    await recordAudit(client, {
      actorId: user.id,
      action: 'command.send',
      target: `command:${created.id}`,
      details: { type: created.type, target: `${created.targetKind}:${created.targetId}` },
    });
    return created;
  });
  const job: PublishMqttJob = { commandId: command.id };
  try {
    // The job id is the command id: a second enqueue of the same command is a no-op.
    await queues.enqueue('publish_mqtt', command.id, job);
  } catch {
    // Not queued means never sent: say so on the command instead of leaving it "queued" forever.
    await markFailed(pool, command.id, 'could not be queued (Redis unavailable)');
    throw new CommandQueueUnavailableError();
  }
  return command;
}
