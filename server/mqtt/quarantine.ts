/**
 * The quarantine of refused MQTT messages: the most recent N, kept in a Redis
 * list so every ingest process feeds one place admins can inspect. Bounded
 * (LTRIM), and only a preview of the payload is kept, never the whole body.
 */
import type { Redis } from 'ioredis';

export const QUARANTINE_LIMIT = 1000;
const PREVIEW_BYTES = 256;

export interface QuarantinedMessage {
  at: string;
  topic: string;
  reason: string;
  detail: string;
  size: number;
  /** The first bytes, printable ASCII as is and everything else as \xNN: inert text. */
  preview: string;
}

/** The Redis key of the quarantine list under a queue prefix. */
export function quarantineKey(prefix: string): string {
  return `${prefix}:quarantine`;
}

/** Escapes the first bytes of a payload into a safe, printable preview. */
export function previewBytes(payload: Uint8Array, max = PREVIEW_BYTES): string {
  let out = '';
  for (const byte of payload.subarray(0, max)) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return payload.length > max ? `${out}…` : out;
}

/** Creates the recorder used by ingest; failures are swallowed (the refusal is already counted and logged). */
export function createQuarantine(redis: Redis, prefix: string, limit = QUARANTINE_LIMIT) {
  const key = quarantineKey(prefix);
  return {
    record(entry: Omit<QuarantinedMessage, 'preview' | 'size'>, payload: Uint8Array): void {
      const item: QuarantinedMessage = {
        ...entry,
        topic: entry.topic.slice(0, 256),
        size: payload.length,
        preview: previewBytes(payload),
      };
      redis
        .multi()
        .lpush(key, JSON.stringify(item))
        .ltrim(key, 0, limit - 1)
        .exec()
        .catch(() => undefined);
    },
  };
}

export type Quarantine = ReturnType<typeof createQuarantine>;

/** A page of the quarantine, newest first. */
export async function listQuarantine(
  redis: Redis,
  prefix: string,
  offset: number,
  limit: number,
): Promise<{ total: number; items: QuarantinedMessage[] }> {
  const key = quarantineKey(prefix);
  const [total, raw] = await Promise.all([
    redis.llen(key),
    redis.lrange(key, offset, offset + limit - 1),
  ]);
  return { total, items: raw.map((r) => JSON.parse(r) as QuarantinedMessage) };
}
