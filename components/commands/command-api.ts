/** The command API from the browser; errors carry the server's message (admin-api.ts). */
import { getJson, sendJson } from '@/components/admin/admin-api';
import type { CommandRequest } from '@/contract/command-request';
import type { CommandDeliveryDto, CommandDto } from '@/contract/commands';

/** Each kind of command a screen may send, its target aside (the guard is given apart). */
type WithoutTarget<C> = C extends unknown ? Omit<C, 'target'> : never;
export type NewCommand = WithoutTarget<CommandRequest>;

/** Sends a command to a guard's device; resolves with it stored as queued. */
export async function sendGuardCommand(guardId: string, command: NewCommand): Promise<CommandDto> {
  const body = await sendJson<{ command: CommandDto }>('/api/commands', {
    ...command,
    target: { kind: 'guard', id: guardId },
  });
  return body.command;
}

/** The newest commands to one guard and whether commands are getting through. */
export function fetchGuardCommands(
  guardId: string,
  signal: AbortSignal,
): Promise<{ commands: CommandDto[]; delivery: CommandDeliveryDto[] }> {
  return getJson(`/api/commands?targetId=${encodeURIComponent(guardId)}&limit=10`, signal);
}
