/**
 * Interprets a decoded payload of a known topic kind into the job data of its
 * task. The schema check and the domain checks (device clock skew) live here,
 * before anything is queued.
 */
import { createHash } from 'node:crypto';
import type { GuardGpsJob } from '../handlers/guard-gps';
import type { TaskName } from '../queues/routes';
import { deviceTimeToMs, guardGpsPayload } from './payloads';
import type { ParsedTopic } from './topics';

export type InterpretFailure = 'schema' | 'clock_skew';

export type Interpretation =
  | { ok: true; task: TaskName; messageKey: string; data: GuardGpsJob }
  | { ok: false; reason: InterpretFailure; detail: string };

export interface InterpretContext {
  topic: string;
  rawPayload: Uint8Array;
  receivedAt: number;
  /** How far in the future a device clock may be before a fix is refused. */
  maxClockSkewMs: number;
}

/** The idempotency key: the device's message id when given, else a hash of topic and bytes. */
export function messageKeyOf(topic: string, msgId: string | undefined, raw: Uint8Array): string {
  const hash = createHash('sha256').update(topic).update('\n');
  hash.update(msgId === undefined ? raw : `id:${msgId}`);
  return hash.digest('hex');
}

/** Validates and converts one message; never throws for bad input. */
export function interpretMessage(
  parsed: ParsedTopic,
  value: unknown,
  ctx: InterpretContext,
): Interpretation {
  switch (parsed.kind.task) {
    case 'process_guard_gps': {
      const result = guardGpsPayload.safeParse(value);
      if (!result.success) {
        const detail = result.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
          .join('; ');
        return { ok: false, reason: 'schema', detail };
      }
      const fix = result.data;
      const fixAtMs = deviceTimeToMs(fix.ts);
      if (fixAtMs - ctx.receivedAt > ctx.maxClockSkewMs) {
        return {
          ok: false,
          reason: 'clock_skew',
          detail: `fix time ${new Date(fixAtMs).toISOString()} is in the future`,
        };
      }
      const messageKey = messageKeyOf(ctx.topic, fix.msgId, ctx.rawPayload);
      return {
        ok: true,
        task: parsed.kind.task,
        messageKey,
        data: {
          messageKey,
          guardId: parsed.id,
          lat: fix.lat,
          lon: fix.lon,
          fixAt: new Date(fixAtMs).toISOString(),
          accuracyM: fix.accuracy,
          speedMps: fix.speed ?? null,
          headingDeg: fix.heading ?? null,
          receivedAt: new Date(ctx.receivedAt).toISOString(),
        },
      };
    }
  }
}
