/**
 * A device command on the wire (the MQTT message a device gets on
 * command/<targetId>/<type>) and the arguments stored with it. The API body
 * is the contract's (contract/command-request.ts).
 */
import type { CreateCommandInput } from '../../contract/command-request';
import type { CommandDto } from '../../contract/commands';
import type { CommandMessagePayload } from '../mqtt/payloads';

/** The arguments stored with a command (everything but type and target). */
export function commandArguments(input: CreateCommandInput): Record<string, unknown> {
  switch (input.type) {
    case 'locate':
      return {};
    case 'message':
      return { text: input.text };
    case 'sos_ack':
      return { alertId: input.alertId };
  }
}

/**
 * The message body. The command id is in it so a device that gets the same
 * command twice (a retried publish whose PUBACK was lost) carries it out once.
 */
export function commandMessage(command: CommandDto): string {
  const message = {
    commandId: command.id,
    type: command.type,
    ...command.payload,
    // Devices get ISO text (their message grammar); screens get epoch ms.
    issuedAt: new Date(command.createdAt).toISOString(),
  } as CommandMessagePayload;
  return JSON.stringify(message);
}
