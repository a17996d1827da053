/** The command publisher's breaker (cockatiel): opens at its threshold, half-opens after the wait, closes on success. */
import { BrokenCircuitError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { createCommandBreaker, type BreakerState } from '../../server/commands/command-breaker';
import { createCommandSchema } from '../../contract/command-request';
import { commandMessage } from '../../server/commands/command-schema';
import { commandMessagePayload } from '../../server/mqtt/payloads';
import { commandTopic } from '../../contract/topics';

const failing = () => Promise.reject(new Error('not connected'));

async function waitForState(read: () => BreakerState, state: BreakerState): Promise<void> {
  while (read() !== state) await new Promise((r) => setTimeout(r, 5));
}

describe('command breaker', () => {
  it('opens after the threshold of failures in a row, then refuses calls at once', async () => {
    const changes: BreakerState[] = [];
    const breaker = createCommandBreaker({
      failures: 3,
      halfOpenMs: 60_000,
      maxHalfOpenMs: 60_000,
      timeoutMs: 1000,
      onStateChange: (s) => changes.push(s),
    });
    for (let i = 0; i < 3; i++)
      await expect(breaker.execute(failing)).rejects.toThrow('not connected');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', opens: 1, failuresToOpen: 3 });
    let called = false;
    await expect(
      breaker.execute(async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(called).toBe(false);
    expect(changes).toEqual(['open']);
  });

  it('counts a timeout as a failure and aborts the timed-out call', async () => {
    const breaker = createCommandBreaker({
      failures: 1,
      halfOpenMs: 60_000,
      maxHalfOpenMs: 60_000,
      timeoutMs: 20,
    });
    let aborted = false;
    await expect(
      breaker.execute(
        (signal) =>
          new Promise<void>((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('abandoned'));
            });
          }),
      ),
    ).rejects.toThrow();
    expect(aborted).toBe(true);
    expect(breaker.snapshot().state).toBe('open');
  });

  it('lets one trial call through after the wait and closes when it succeeds', async () => {
    const breaker = createCommandBreaker({
      failures: 2,
      halfOpenMs: 30,
      maxHalfOpenMs: 30,
      timeoutMs: 1000,
    });
    await expect(breaker.execute(failing)).rejects.toThrow();
    await expect(breaker.execute(failing)).rejects.toThrow();
    expect(breaker.snapshot().state).toBe('open');
    // Open refuses until the half-open wait has passed; then one call goes through.
    let result: string | undefined;
    while (result === undefined) {
      result = await breaker.execute(async () => 'ok').catch(() => undefined);
      if (result === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    await waitForState(() => breaker.snapshot().state, 'closed');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', opens: 1 });
  });
});

describe('command wire format', () => {
  it('publishes on command/<target>/<type> with the command id in the body', () => {
    const input = createCommandSchema.parse({
      type: 'message',
      target: { kind: 'guard', id: 'guard-7' },
      text: '  <b>come to gate 2</b> ',
    });
    expect(input).toMatchObject({ text: '<b>come to gate 2</b>' });
    const command = {
      id: '3f1e8c1e-6d5e-4c1a-9a43-0e8f7b8c1d2e',
      targetKind: 'guard' as const,
      targetId: 'guard-7',
      siteId: null,
      type: 'message' as const,
      payload: { text: '<b>come to gate 2</b>' },
      status: 'queued' as const,
      requestedBy: null,
      createdAt: Date.parse('2026-11-28T10:00:00.000Z'),
      sentAt: null,
      acknowledgedAt: null,
      failedAt: null,
      error: null,
      publishAttempts: 0,
    };
    expect(commandTopic(command)).toBe('command/guard-7/message');
    // What the server sends is what a device's schema accepts.
    expect(commandMessagePayload.parse(JSON.parse(commandMessage(command)))).toEqual({
      commandId: command.id,
      type: 'message',
      text: '<b>come to gate 2</b>',
      issuedAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('refuses a target id that is not an MQTT id, and an SOS acknowledgement without an alert', () => {
    expect(() =>
      createCommandSchema.parse({ type: 'locate', target: { kind: 'device', id: 'a/b/#' } }),
    ).toThrow();
    expect(() =>
      createCommandSchema.parse({ type: 'sos_ack', target: { kind: 'guard', id: 'g1' } }),
    ).toThrow();
  });
});
