/**
 * `npm run keygen`: prints a new CHANNELS_ENCRYPTION_KEY (Fernet: url-safe
 * base64 of 32 random bytes). `--session-secret` prints a SESSION_SECRET instead.
 * Rotation: prepend the new key (CHANNELS_ENCRYPTION_KEY=new,old) on every
 * process, then drop the old one once all run with the new list.
 */
import { randomBytes } from 'node:crypto';
import { generateFernetKey } from '../server/security/fernet';

if (process.argv.includes('--session-secret')) {
  console.log(randomBytes(48).toString('base64url'));
} else {
  console.log(generateFernetKey());
}
