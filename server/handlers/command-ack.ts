/**
 * process_command_ack: a device's reply to a command on
 * device/<id>/command_ack. Only the command's own target can answer it, and a
 * repeated reply changes nothing.
 */
import type pg from 'pg';
import { recordReply } from '../commands/command-store';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import type { HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

/** Job data of process_command_ack (its schema in contract/job-data.ts). */
export type CommandAckJob = JobDataOf<'process_command_ack'>;

/** Creates the handler. */
export function createCommandAckHandler(deps: { pool: pg.Pool }) {
  return async function handle(job: CommandAckJob): Promise<HandlerResult> {
    const command = await recordReply(deps.pool, {
      commandId: job.commandId,
      deviceId: job.deviceId,
      result: job.result,
      detail: job.detail,
      at: job.repliedAt,
    });
    if (!command) return { outcome: 'duplicate', events: [] };
    return { outcome: 'stored', events: [{ type: CHANNEL_EVENTS.command, payload: command }] };
  };
}
