/**
 * process_command_ack: a device's reply to a command on
 * device/<id>/command_ack. Only the command's own target can answer it, and a
 * repeated reply changes nothing.
 */
import type pg from 'pg';
import { recordReply } from '../commands/command-store';
import { CHANNEL_EVENTS } from '../realtime/events';
import type { HandlerResult } from './types';

export interface CommandAckJob {
  messageKey: string;
  /** The replying device (the topic id, authenticated by the broker's ACL). */
  deviceId: string;
  commandId: string;
  result: 'done' | 'refused';
  detail: string | null;
  /** Device time of the reply, ISO 8601. */
  repliedAt: string;
}

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
