/** Random bearer tokens and the one-way hashes stored instead of them. */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** 256 random bits, url-safe base64 (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Keyed hash for session tokens: a stolen table is useless without SESSION_SECRET. */
export function hmacToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

/** Unkeyed hash for kiosk tokens, which must outlive a SESSION_SECRET rotation. */
export function sha256Token(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
