/**
 * What a device command is on the way in (the API body) and on the wire (the
 * MQTT message a device gets on command/<targetId>/<type>).
 */
import { z } from 'zod';
import {
  COMMAND_TARGET_KINDS,
  COMMAND_TEXT_MAX_LENGTH,
  type CommandDto,
} from '../../contract/commands';
import { ID_PATTERN } from '../../contract/ids';
import type { CommandMessagePayload } from '../mqtt/payloads';
import { toStorableText } from '../text/storable-text';

/** The id grammar (contract/ids.ts): a target id is a broker username. */
export const targetIdSchema = z.string().regex(ID_PATTERN, 'letters, digits, _ and - (1-64)');

const target = z.strictObject({
  kind: z.enum(COMMAND_TARGET_KINDS),
  id: targetIdSchema,
});

/** The body of POST /api/commands. */
export const createCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('locate'), target }),
  z.strictObject({
    type: z.literal('message'),
    target,
    // Stored in a jsonb column, which refuses U+0000: repaired like every free text.
    text: z
      .string()
      .trim()
      .min(1, 'write a message')
      .max(COMMAND_TEXT_MAX_LENGTH)
      .transform(toStorableText),
  }),
  z.strictObject({ type: z.literal('sos_ack'), target, alertId: z.uuid() }),
]);

export type CreateCommandInput = z.infer<typeof createCommandSchema>;

/** The job data of publish_mqtt: only the id; the row is the source of truth. */
export const publishJobSchema = z.strictObject({ commandId: z.uuid() });
export type PublishMqttJob = z.infer<typeof publishJobSchema>;

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
