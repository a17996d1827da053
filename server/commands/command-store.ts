/**
 * The device_commands table: every command and its state. Each transition is
 * one conditional UPDATE, so a late or repeated step (a redelivered reply, a
 * retried job) never moves a command backwards.
 */
import type pg from 'pg';
import { AppError } from '../errors';
import type { CommandAckResult, CommandDto } from '../../contract/commands';
import type { EpochMs } from '../../contract/time';
import { timestamptzOf } from '../db/epoch-ms';

export class CommandNotFoundError extends AppError {
  constructor(id: string) {
    super('COMMAND_NOT_FOUND', `command ${id} does not exist`, 404);
    this.name = 'CommandNotFoundError';
  }
}

const SELECT = `
  SELECT c.id, c.target_kind, c.target_id, c.site_id, c.type, c.payload, c.status,
         c.requested_by, u.name AS requested_by_name, c.created_at, c.sent_at,
         c.acknowledged_at, c.failed_at, c.error, c.publish_attempts
  FROM device_commands c LEFT JOIN users u ON u.id = c.requested_by`;

interface CommandRow {
  id: string;
  target_kind: CommandDto['targetKind'];
  target_id: string;
  site_id: string | null;
  type: CommandDto['type'];
  payload: Record<string, unknown>;
  status: CommandDto['status'];
  requested_by: string | null;
  requested_by_name: string | null;
  created_at: Date;
  sent_at: Date | null;
  acknowledged_at: Date | null;
  failed_at: Date | null;
  error: string | null;
  publish_attempts: number;
}

const epochMs = (d: Date | null) => (d ? d.getTime() : null);

function toDto(row: CommandRow): CommandDto {
  return {
    id: row.id,
    targetKind: row.target_kind,
    targetId: row.target_id,
    siteId: row.site_id,
    type: row.type,
    payload: row.payload,
    status: row.status,
    requestedBy: row.requested_by
      ? { id: row.requested_by, name: row.requested_by_name ?? '' }
      : null,
    createdAt: row.created_at.getTime(),
    sentAt: epochMs(row.sent_at),
    acknowledgedAt: epochMs(row.acknowledged_at),
    failedAt: epochMs(row.failed_at),
    error: row.error,
    publishAttempts: row.publish_attempts,
  };
}

/** Runs an UPDATE ... RETURNING id and reads the command back (null: nothing changed). */
async function updateOne(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
): Promise<CommandDto | null> {
  const { rows } = await pool.query<{ id: string }>(sql, params);
  return rows[0] ? getCommand(pool, rows[0].id) : null;
}

export interface NewCommand {
  targetKind: CommandDto['targetKind'];
  targetId: string;
  siteId: string | null;
  type: CommandDto['type'];
  payload: Record<string, unknown>;
  requestedBy: string | null;
}

/** Stores a queued command; pass a transaction client to commit it with its audit entry. */
export async function insertCommand(
  pool: Pick<pg.Pool, 'query'>,
  command: NewCommand,
): Promise<CommandDto> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO device_commands (id, target_kind, target_id, site_id, type, payload, requested_by, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6, now()) RETURNING id`,
    [
      command.targetKind,
      command.targetId,
      command.siteId,
      command.type,
      JSON.stringify(command.payload),
      command.requestedBy,
    ],
  );
  return (await getCommand(pool, rows[0]!.id))!;
}

/** One command, or null. */
export async function getCommand(
  pool: Pick<pg.Pool, 'query'>,
  id: string,
): Promise<CommandDto | null> {
  const { rows } = await pool.query<CommandRow>(`${SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toDto(rows[0]) : null;
}

/** The newest commands, optionally only of some sites (null: every site) and of one target id. */
export async function listCommands(
  pool: pg.Pool,
  {
    siteIds,
    targetId = null,
    limit = 50,
  }: { siteIds: string[] | null; targetId?: string | null; limit?: number },
): Promise<CommandDto[]> {
  const { rows } = await pool.query<CommandRow>(
    `${SELECT} WHERE ($1::text[] IS NULL OR c.site_id = ANY($1)) AND ($3::text IS NULL OR c.target_id = $3)
     ORDER BY c.created_at DESC LIMIT $2`,
    [siteIds, Math.min(Math.max(limit, 1), 500), targetId],
  );
  return rows.map(toDto);
}

/** Counts a publish handed to the broker client. */
export async function countPublishAttempt(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(
    `UPDATE device_commands SET publish_attempts = publish_attempts + 1, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** queued (or failed, on an admin's retry) -> sent; null when it had already gone further. */
export function markSent(pool: pg.Pool, id: string): Promise<CommandDto | null> {
  return updateOne(
    pool,
    `UPDATE device_commands SET status = 'sent', sent_at = now(), error = NULL, failed_at = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'failed') RETURNING id`,
    [id],
  );
}

/** Marks a command failed for good (its job used up its attempts); not once the device has it. */
export function markFailed(pool: pg.Pool, id: string, error: string): Promise<CommandDto | null> {
  return updateOne(
    pool,
    `UPDATE device_commands SET status = 'failed', failed_at = now(), error = $2, updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'failed') RETURNING id`,
    [id, error.slice(0, 1000)],
  );
}

/**
 * The device's reply. Only the command's own target may answer it (the
 * topic id is the device's broker username); a repeat changes nothing.
 * A phone can answer before the worker has recorded its publish (the reply
 * overtakes markSent); the reply proves the command was sent, so a missing
 * sent time becomes the reply's time (never later than now).
 */
export function recordReply(
  pool: pg.Pool,
  reply: {
    commandId: string;
    deviceId: string;
    result: CommandAckResult;
    detail: string | null;
    /** Device time of the reply. */
    at: EpochMs;
  },
): Promise<CommandDto | null> {
  const refused = reply.result === 'refused';
  const at = timestamptzOf('$5::float8');
  return updateOne(
    pool,
    `UPDATE device_commands
        SET status = $3::"CommandStatus", sent_at = COALESCE(sent_at, LEAST(${at}, now())),
            acknowledged_at = CASE WHEN $4 THEN NULL ELSE ${at} END,
            failed_at = CASE WHEN $4 THEN ${at} ELSE NULL END,
            error = CASE WHEN $4 THEN 'refused by the device: ' || COALESCE($6, 'no reason given') ELSE NULL END,
            updated_at = now()
      WHERE id = $1 AND target_id = $2 AND status IN ('queued', 'sent') RETURNING id`,
    [
      reply.commandId,
      reply.deviceId,
      refused ? 'failed' : 'acknowledged',
      refused,
      reply.at,
      reply.detail,
    ],
  );
}
