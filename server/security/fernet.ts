/**
 * Fernet tokens (https://github.com/fernet/spec), composed from node:crypto:
 * version 0x80 | timestamp (u64 BE seconds) | IV (16) | AES-128-CBC ciphertext
 * | HMAC-SHA256 over all of that, url-safe base64. The key is the url-safe
 * base64 of 32 bytes: signing key first, encryption key second.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC_LENGTH = 32;
/** 44 characters of url-safe base64 ending in one '=' pad: exactly 32 bytes. */
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}=$/;

export interface FernetKey {
  signing: Buffer;
  encryption: Buffer;
}

/** A key that is not 32 bytes of url-safe base64. */
export class MalformedKeyError extends Error {
  readonly code = 'MALFORMED_KEY';
  constructor(detail: string) {
    super(`malformed Fernet key: ${detail}`);
    this.name = 'MalformedKeyError';
  }
}

/** A token that fails authentication or decoding: tampered, truncated, or under another key. */
export class InvalidTokenError extends Error {
  readonly code = 'INVALID_TOKEN';
  constructor(detail: string) {
    super(`invalid Fernet token: ${detail}`);
    this.name = 'InvalidTokenError';
  }
}

/** Parses one key; throws MalformedKeyError saying what is wrong (never echoing the key). */
export function parseFernetKey(text: string): FernetKey {
  const key = text.trim();
  if (key.length !== 44) throw new MalformedKeyError(`expected 44 characters, got ${key.length}`);
  if (!KEY_SHAPE.test(key)) {
    throw new MalformedKeyError('expected url-safe base64 (A-Z a-z 0-9 - _) ending in "="');
  }
  const bytes = Buffer.from(key, 'base64url');
  if (bytes.length !== 32) throw new MalformedKeyError(`decodes to ${bytes.length} bytes, not 32`);
  return { signing: bytes.subarray(0, 16), encryption: bytes.subarray(16) };
}

/** A new random key in Fernet format. */
export function generateFernetKey(): string {
  return randomBytes(32).toString('base64url') + '=';
}

/** Encrypts and signs; `now` and `iv` are injectable for the spec's test vectors only. */
export function fernetEncrypt(
  key: FernetKey,
  plaintext: Buffer,
  { now = Date.now(), iv = randomBytes(16) }: { now?: number; iv?: Buffer } = {},
): string {
  const header = Buffer.alloc(HEADER);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(Math.floor(now / 1000)), 1);
  iv.copy(header, 9);
  const cipher = createCipheriv('aes-128-cbc', key.encryption, iv);
  const body = Buffer.concat([header, cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', key.signing).update(body).digest();
  return Buffer.concat([body, mac]).toString('base64url') + padding(body.length + MAC_LENGTH);
}

function padding(byteLength: number): string {
  return '='.repeat((3 - (byteLength % 3)) % 3);
}

/** Verifies and decrypts with one key; throws InvalidTokenError. ttlSeconds bounds the token's age. */
export function fernetDecrypt(
  key: FernetKey,
  token: string,
  { ttlSeconds, now = Date.now() }: { ttlSeconds?: number; now?: number } = {},
): Buffer {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw new InvalidTokenError('not url-safe base64');
  const bytes = Buffer.from(token, 'base64url');
  // Header, at least one cipher block, MAC.
  if (bytes.length < HEADER + 16 + MAC_LENGTH || (bytes.length - HEADER - MAC_LENGTH) % 16 !== 0) {
    throw new InvalidTokenError('wrong length');
  }
  if (bytes[0] !== VERSION) throw new InvalidTokenError('unknown version');
  const body = bytes.subarray(0, bytes.length - MAC_LENGTH);
  const mac = createHmac('sha256', key.signing).update(body).digest();
  if (!timingSafeEqual(mac, bytes.subarray(bytes.length - MAC_LENGTH))) {
    throw new InvalidTokenError('signature mismatch');
  }
  if (ttlSeconds !== undefined) {
    const issued = Number(bytes.readBigUInt64BE(1));
    const nowSeconds = Math.floor(now / 1000);
    if (issued + ttlSeconds < nowSeconds) throw new InvalidTokenError('expired');
    // Fernet's clock-skew allowance for tokens from the future.
    if (issued > nowSeconds + 60) throw new InvalidTokenError('issued in the future');
  }
  try {
    const decipher = createDecipheriv('aes-128-cbc', key.encryption, bytes.subarray(9, HEADER));
    return Buffer.concat([decipher.update(body.subarray(HEADER)), decipher.final()]);
  } catch {
    throw new InvalidTokenError('bad padding');
  }
}
