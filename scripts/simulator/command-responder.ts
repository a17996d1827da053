/**
 * How a simulated guard's phone answers commands, as a real one must: it
 * reads command/<its id>/<type>, carries each command id out once, and replies
 * on device/<its id>/command_ack naming the command id.
 *
 * - locate: publishes a fresh GPS fix at once, then acknowledges;
 * - message: shows the text (here: counts it) and acknowledges "delivered";
 * - sos_ack: ends the phone's SOS state and acknowledges.
 *
 * A repeated command id (a retried publish whose PUBACK was lost) is answered
 * again, since the first reply may be what got lost, but not carried out again.
 * A message that is not a valid command is refused when it names a command id
 * and ignored otherwise.
 */
import type { CommandAckResult } from '../../contract/commands';
import { commandMessagePayload } from '../../server/mqtt/payloads';
import { parseCommandTopic } from '../../server/mqtt/topics';
import { commandAckMessage, gpsMessage, type SimMessage } from './messages';
import type { Fix } from './patrol';

/** Enough commands remembered to spot a redelivery, which comes within seconds. */
const REMEMBERED_COMMANDS = 256;

export interface GuardPhone {
  deviceId: string;
  /** Where the guard is right now (a fresh fix); null without a fix. */
  locate(): Fix | null;
  /** Whether an SOS of this phone waits for the control room. */
  sosActive(): boolean;
  endSos(): void;
  /** The text shown on the phone's screen. */
  showMessage(text: string): void;
}

export interface ResponderContext {
  now(): number;
  msgId(): string;
}

/** The answers of one phone; handle() returns what to publish, in order. */
export function createCommandResponder(phone: GuardPhone, context: ResponderContext) {
  const done: string[] = [];

  const ack = (commandId: string, result: CommandAckResult, detail?: string) =>
    commandAckMessage(
      phone.deviceId,
      { commandId, result, ...(detail ? { detail } : {}) },
      context.now(),
      context.msgId(),
    );

  function carryOut(command: ReturnType<typeof commandMessagePayload.parse>): SimMessage[] {
    switch (command.type) {
      case 'locate': {
        const fix = phone.locate();
        if (!fix) return [ack(command.commandId, 'refused', 'no GPS fix')];
        const at = context.now();
        return [
          gpsMessage(phone.deviceId, fix, at, context.msgId(), 1),
          ack(command.commandId, 'done', 'position sent'),
        ];
      }
      case 'message':
        phone.showMessage(command.text);
        return [ack(command.commandId, 'done', 'delivered')];
      case 'sos_ack': {
        const wasActive = phone.sosActive();
        phone.endSos();
        return [ack(command.commandId, 'done', wasActive ? 'SOS ended' : 'no SOS was active')];
      }
    }
  }

  return {
    handle(topic: string, payload: Buffer | string): SimMessage[] {
      const parsedTopic = parseCommandTopic(topic);
      if (!parsedTopic || parsedTopic.deviceId !== phone.deviceId) return [];
      let body: unknown;
      try {
        body = JSON.parse(payload.toString());
      } catch {
        return [];
      }
      const command = commandMessagePayload.safeParse(body);
      if (!command.success || command.data.type !== parsedTopic.type) {
        const commandId = (body as { commandId?: unknown } | null)?.commandId;
        return typeof commandId === 'string' && /^[0-9a-f-]{36}$/i.test(commandId)
          ? [ack(commandId, 'refused', 'not a command this phone understands')]
          : [];
      }
      const { commandId } = command.data;
      if (done.includes(commandId)) return [ack(commandId, 'done', 'already carried out')];
      done.push(commandId);
      if (done.length > REMEMBERED_COMMANDS) done.shift();
      return carryOut(command.data);
    },
  };
}

export type CommandResponder = ReturnType<typeof createCommandResponder>;
