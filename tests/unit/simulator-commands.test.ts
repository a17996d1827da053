/** How a simulated guard's phone answers commands (scripts/simulator/command-responder.ts). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commandAckPayload, guardGpsPayload } from '../../server/mqtt/payloads';
import { commandTopic } from '../../contract/topics';
import { parseTopic } from '../../server/mqtt/topics';
import { createCommandResponder } from '../../scripts/simulator/command-responder';
import type { SimMessage } from '../../scripts/simulator/messages';
import type { Fix } from '../../scripts/simulator/patrol';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const FIX: Fix = { lat: 53.5334, lon: 9.9985, accuracy: 4.2, speed: 1.3, heading: 90 };

function phone(options: { fix?: Fix | null; sos?: boolean } = {}) {
  let sos = options.sos ?? false;
  const shown: string[] = [];
  let locates = 0;
  let seq = 0;
  const responder = createCommandResponder(
    {
      deviceId: 'guard-3',
      locate: () => {
        locates++;
        return options.fix === undefined ? FIX : options.fix;
      },
      sosActive: () => sos,
      endSos: () => {
        sos = false;
      },
      showMessage: (text) => shown.push(text),
    },
    { now: () => NOW, msgId: () => `m-${++seq}` },
  );
  return { responder, shown, sos: () => sos, locates: () => locates };
}

function command(type: 'locate' | 'message' | 'sos_ack', extra: Record<string, unknown> = {}) {
  const body = { commandId: randomUUID(), type, ...extra, issuedAt: new Date(NOW).toISOString() };
  return {
    topic: commandTopic({ targetId: 'guard-3', type }),
    payload: JSON.stringify(body),
    body,
  };
}

/** The reply as the server's ingest reads it: whitelisted topic, valid payload. */
function readAck(message: SimMessage) {
  expect(parseTopic(message.topic)?.kind.task).toBe('process_command_ack');
  expect(parseTopic(message.topic)?.id).toBe('guard-3');
  return commandAckPayload.parse(JSON.parse(message.payload.toString()));
}

describe('simulated phone answering commands', () => {
  it('answers locate with a fresh GPS fix first, then an acknowledgement naming the command', () => {
    const { responder, locates } = phone();
    const cmd = command('locate');
    const [gps, ack, ...rest] = responder.handle(cmd.topic, cmd.payload);
    expect(rest).toEqual([]);
    expect(gps!.topic).toBe('guard/guard-3/gps');
    expect(guardGpsPayload.parse(JSON.parse(gps!.payload.toString()))).toMatchObject({
      lat: FIX.lat,
      lon: FIX.lon,
      ts: NOW,
    });
    expect(readAck(ack!)).toMatchObject({ commandId: cmd.body.commandId, result: 'done' });
    expect(locates()).toBe(1);
  });

  it('refuses locate without a GPS fix', () => {
    const { responder } = phone({ fix: null });
    const cmd = command('locate');
    const replies = responder.handle(cmd.topic, cmd.payload);
    expect(replies).toHaveLength(1);
    expect(readAck(replies[0]!)).toMatchObject({ result: 'refused', detail: 'no GPS fix' });
  });

  it('shows a message as text and acknowledges it as delivered', () => {
    const { responder, shown } = phone();
    const cmd = command('message', { text: '<b>Call the desk</b>' });
    const replies = responder.handle(cmd.topic, cmd.payload);
    expect(shown).toEqual(['<b>Call the desk</b>']);
    expect(readAck(replies[0]!)).toMatchObject({
      commandId: cmd.body.commandId,
      result: 'done',
      detail: 'delivered',
    });
  });

  it('ends its SOS state on an SOS acknowledgement', () => {
    const state = phone({ sos: true });
    const cmd = command('sos_ack', { alertId: randomUUID() });
    const replies = state.responder.handle(cmd.topic, cmd.payload);
    expect(state.sos()).toBe(false);
    expect(readAck(replies[0]!)).toMatchObject({ result: 'done', detail: 'SOS ended' });
  });

  it('carries a repeated command id out once but answers it again', () => {
    const state = phone();
    const cmd = command('locate');
    state.responder.handle(cmd.topic, cmd.payload);
    const again = state.responder.handle(cmd.topic, cmd.payload);
    expect(state.locates()).toBe(1);
    expect(again).toHaveLength(1);
    expect(readAck(again[0]!)).toMatchObject({ commandId: cmd.body.commandId, result: 'done' });
  });

  it("refuses a command it cannot read when it names a command id, and ignores another device's", () => {
    const { responder } = phone();
    const commandId = randomUUID();
    const unknown = responder.handle(
      'command/guard-3/self_destruct',
      JSON.stringify({ commandId, type: 'self_destruct', issuedAt: new Date(NOW).toISOString() }),
    );
    expect(readAck(unknown[0]!)).toMatchObject({ commandId, result: 'refused' });
    expect(responder.handle('command/guard-3/locate', 'not json')).toEqual([]);
    const other = command('locate');
    expect(responder.handle('command/guard-4/locate', other.payload)).toEqual([]);
  });
});
