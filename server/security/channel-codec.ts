/**
 * What crosses Redis between our processes is sealed with CHANNELS_ENCRYPTION_KEY:
 * a comma-separated list of Fernet keys; the first encrypts, every one decrypts,
 * so a key can be rotated in without a flag day (add the new key first on every
 * process, then drop the old one).
 *
 * Messages older than CHANNEL_TTL_SECONDS are refused like forged ones.
 *
 * Without a key (development only: production refuses to start) the codec is a
 * pass-through, and `encrypted` says so.
 */
import {
  fernetDecrypt,
  fernetEncrypt,
  InvalidTokenError,
  parseFernetKey,
  type FernetKey,
} from './fernet';

export interface ChannelCodec {
  /** False in development without a key: messages cross Redis in plain text. */
  readonly encrypted: boolean;
  seal(plaintext: Buffer | string): string;
  /** Throws InvalidTokenError for a tampered or foreign message. */
  open(sealed: string): Buffer;
}

/** Splits the variable into keys; throws MalformedKeyError naming the position of a bad one. */
export function parseKeyList(value: string): FernetKey[] {
  const parts = value.split(',').map((part) => part.trim());
  return parts.map((part, index) => {
    try {
      return parseFernetKey(part);
    } catch (error) {
      if (parts.length === 1) throw error;
      (error as Error).message = `key ${index + 1} of ${parts.length}: ${(error as Error).message}`;
      throw error;
    }
  });
}

/**
 * How old a sealed message may be when opened. Everything on these channels is
 * read within seconds, except Socket.IO's recovery sessions and stream entries
 * (kept 2 minutes): five minutes covers them and some clock skew, and a
 * captured message cannot be replayed later.
 */
export const CHANNEL_TTL_SECONDS = 300;

/** The codec for the configured key list (undefined or empty: pass-through). */
export function createChannelCodec(
  keyList: string | undefined,
  {
    ttlSeconds = CHANNEL_TTL_SECONDS,
    now = Date.now,
  }: { ttlSeconds?: number; now?: () => number } = {},
): ChannelCodec {
  if (!keyList?.trim()) {
    return {
      encrypted: false,
      seal: (plaintext) => plaintext.toString(),
      open: (sealed) => Buffer.from(sealed),
    };
  }
  const keys = parseKeyList(keyList);
  const [current] = keys as [FernetKey, ...FernetKey[]];
  return {
    encrypted: true,
    seal: (plaintext) =>
      fernetEncrypt(current, Buffer.isBuffer(plaintext) ? plaintext : Buffer.from(plaintext)),
    open(sealed) {
      let last: unknown;
      for (const key of keys) {
        try {
          return fernetDecrypt(key, sealed, { ttlSeconds, now: now() });
        } catch (error) {
          last = error;
        }
      }
      throw last instanceof InvalidTokenError ? last : new InvalidTokenError(String(last));
    },
  };
}
