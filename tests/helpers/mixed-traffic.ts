/**
 * The two-of-every-role scenario's traffic (two-of-every-role.ts): GPS fixes
 * with a duty status every STATUS_EVERY messages and an SOS every SOS_EVERY,
 * round the scenario's guards, MESSAGES of them at RATE a second.
 */

export const GUARDS = 8;
export const MESSAGES = 2_400;
export const RATE = 150; // msg/s: 16 s of traffic
const SOS_EVERY = 100; // about 1.5 SOS a second
const STATUS_EVERY = 20;
const DUTY = ['on_duty', 'patrolling', 'break'] as const;

export type Kind = 'gps' | 'status' | 'sos';

/** The kind of the i-th message. */
export const kindOf = (i: number): Kind =>
  i % SOS_EVERY === SOS_EVERY - 1
    ? 'sos'
    : i % STATUS_EVERY === STATUS_EVERY - 1
      ? 'status'
      : 'gps';

/** How many messages of a kind the run publishes. */
export const published = (kind: Kind) =>
  Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => kindOf(i) === kind).length;

/** The i-th message of run `runId`: topic and payload, for guard i mod GUARDS. */
export function mixedMessage(
  runId: string,
  guardIds: readonly string[],
  i: number,
): { topic: string; payload: string } {
  const guardId = guardIds[i % GUARDS]!;
  const common = { ts: Date.now(), msgId: `${runId}-${i}` };
  switch (kindOf(i)) {
    case 'sos':
      return {
        topic: `alert/${guardId}/sos`,
        payload: JSON.stringify({ ...common, message: `sos ${i}` }),
      };
    case 'status':
      return {
        topic: `guard/${guardId}/status`,
        payload: JSON.stringify({ ...common, status: DUTY[i % DUTY.length] }),
      };
    case 'gps':
      return {
        topic: `guard/${guardId}/gps`,
        payload: JSON.stringify({
          ...common,
          lat: 51.2205 + (i % 97) / 1e5,
          lon: 4.4025,
          accuracy: 5,
        }),
      };
  }
}
