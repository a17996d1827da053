/**
 * The body of POST /api/commands, as a schema: apart from commands.ts so
 * screens that need only the command DTOs and limits do not load zod.
 */
import { z } from 'zod';
import { COMMAND_TARGET_KINDS, COMMAND_TEXT_MAX_LENGTH } from './commands';
import { idSchema } from './ids';
import { toStorableText } from './storable-text';

// A target id is a broker username: the id grammar (ids.ts).
const target = z.strictObject({ kind: z.enum(COMMAND_TARGET_KINDS), id: idSchema });

/** The body of POST /api/commands: one command, as screens send it. */
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

/** A command as the server takes it, after the schema (text trimmed and repaired). */
export type CreateCommandInput = z.output<typeof createCommandSchema>;
/** A command as a screen writes it, before the schema. */
export type CommandRequest = z.input<typeof createCommandSchema>;
