/**
 * The local demo's secrets: a channel encryption key and a session secret,
 * generated once into .data/demo-secrets.json (0600) so sessions survive a
 * restart. The demo runs the production build with them and LOCAL_DEMO=true
 * (loopback only), so the production checks pass except the waived ones.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFernetKey } from '../../server/security/fernet';

/** The env a local production-mode run needs beside the service URLs. */
export function demoSecurityEnv(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'demo-secrets.json');
  let secrets: { CHANNELS_ENCRYPTION_KEY: string; SESSION_SECRET: string };
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as typeof secrets;
  } else {
    secrets = {
      CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
      SESSION_SECRET: randomBytes(48).toString('base64url'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return { ...secrets, LOCAL_DEMO: 'true', HOST: '127.0.0.1' };
}
