/**
 * Signing webhook bodies, and the check a receiver runs (ship this file, or
 * port its twenty lines). The header is
 *
 *   Watchfloor-Signature: t=<epoch ms>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The timestamp is inside the MAC, so an old request cannot be re-sent with a
 * fresh time; a receiver refuses times outside its tolerance, and, to refuse
 * a replay inside it, remembers the signatures it accepted (each retry of a
 * delivery is signed anew, so only a copy repeats one). The body's "id" (also
 * in Watchfloor-Delivery) is stable across retries: dedupe deliveries by it.
 *
 *   const check = verifyWebhookSignature({ secret, body: rawBody, header, seen });
 *   if (!check.ok) return res.status(401).end(check.reason);
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'watchfloor-signature';
export const DELIVERY_HEADER = 'watchfloor-delivery';

/** Five minutes either way: clocks drift, retries take time. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

const mac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The header value for a body sent at `timestamp` (epoch ms). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'too_old' | 'in_future' | 'replayed' };

export interface VerifyOptions {
  secret: string;
  /** The raw body exactly as received (not re-serialized JSON). */
  body: string;
  header: string | null | undefined;
  toleranceMs?: number;
  now?: number;
  /** Signatures already accepted (keep them at least as long as the tolerance): a copy is refused. */
  seen?: Set<string>;
}

/** Checks signature, then freshness, then (with `seen`) that this delivery was not accepted before. */
export function verifyWebhookSignature(options: VerifyOptions): VerifyResult {
  const { secret, body, header, toleranceMs = DEFAULT_TOLERANCE_MS, now = Date.now() } = options;
  const match = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/.exec(header?.trim() ?? '');
  if (!match) return { ok: false, reason: 'malformed' };
  const timestamp = Number(match[1]);
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (now - timestamp > toleranceMs) return { ok: false, reason: 'too_old' };
  if (timestamp - now > toleranceMs) return { ok: false, reason: 'in_future' };
  if (options.seen) {
    const key = `${timestamp}.${match[2]}`;
    if (options.seen.has(key)) return { ok: false, reason: 'replayed' };
    options.seen.add(key);
  }
  return { ok: true, timestamp };
}
