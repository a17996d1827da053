/** Password hashing with argon2id (@node-rs/argon2, OWASP-recommended parameters). */
import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id in @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Minimum length of a new password (NIST SP 800-63B: at least 8; we ask for 12). */
export const MIN_PASSWORD_LENGTH = 12;

/** Hashes a password; the result embeds its salt and parameters. */
export async function hashPassword(password: string): Promise<string> {
  const digest = await hash(password, PARAMS);
  if (!digest.startsWith('$argon2id$')) throw new Error('expected an argon2id hash');
  return digest;
}

/** Whether the password matches the hash; a malformed hash is simply no match. */
export async function verifyPassword(digest: string, password: string): Promise<boolean> {
  try {
    return await verify(digest, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of nothing anyone knows, verified when the email is unknown so
 * that a failed login takes as long either way (no user enumeration by timing).
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoy;
}
