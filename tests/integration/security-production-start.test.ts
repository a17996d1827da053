/**
 * The production fail-fast, as an operator meets it: `tsx server/index.ts`
 * in production (the default: WATCHFLOOR_ENV and NODE_ENV unset) refuses to start (exit 2, before listening) and says
 * how to fix each problem; with a valid configuration it starts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/migrate';
import {
  dropDatabase,
  ensureDatabase,
  withClient,
  withDatabase,
} from '../../scripts/stack/database';
import { generateFernetKey } from '../../server/security/fernet';
import { hashPassword } from '../../server/users/passwords';
import { mqttServerCredentials, requireServiceUrls, uniqueId } from '../helpers/services';
import { runScopedNames } from '../../scripts/lib/run-names';

const urls = requireServiceUrls();
const REPO = path.resolve(__dirname, '..', '..');
const TSX = createRequire(import.meta.url).resolve('tsx/cli');
// A database of its own: no demo users from other runs' seeds.
const databaseUrl = withDatabase(urls.databaseUrl, uniqueId('wf_prod').replace(/-/g, '_'));

interface Run {
  code: number | null;
  output: string;
}

/** Runs the server until it exits, or until it logs that it started (then stops it). */
function runServer(env: Record<string, string>): Promise<Run & { started: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, 'server/index.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let started = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!started && output.includes('watchfloor started')) {
        started = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output, started }));
  });
}

function withRedisUser(url: string): string {
  const u = new URL(url);
  u.username = 'default';
  u.password = 'any-password';
  return u.toString();
}

const id = uniqueId('prod');
/** The same database, its password passed the way a deployment would: not in the URL. */
function withoutPassword(url: string): { DATABASE_URL: string; PGPASSWORD: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { DATABASE_URL: parsed.toString(), PGPASSWORD: password };
}

const VALID: Record<string, string> = {
  ...withoutPassword(databaseUrl),
  // Production needs Redis credentials: the shared Redis takes any password for its default user.
  REDIS_URL: withRedisUser(urls.redisUrl),
  REDIS_TLS_WAIVED: 'private-network',
  MQTT_URL: urls.mqttUrl,
  MQTT_TLS_WAIVED: 'private-network',
  ...mqttServerCredentials(),
  CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
  SESSION_SECRET: randomBytes(48).toString('base64url'),
  TRUST_TLS_PROXY: 'true',
  // Escalation e-mail: the worker needs a way to send (nothing is sent in this test).
  SMTP_URL: 'smtp://127.0.0.1:1',
  PUBLIC_URL: 'https://watchfloor.example.com',
  // No web role: pages need a Next build, which integration runs do not have.
  ROLES: 'worker,ingest',
  ...runScopedNames(`wft-${id}`),
  HOST: '127.0.0.1',
  PORT: '0',
};

beforeAll(async () => {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
});

afterAll(async () => {
  await dropDatabase(databaseUrl);
});

describe('production (the default when neither WATCHFLOOR_ENV nor NODE_ENV is set)', () => {
  it('exits non-zero without the key, before listening, saying how to create one', async () => {
    const { CHANNELS_ENCRYPTION_KEY: _key, ...env } = VALID;
    const run = await runServer({ ...env, ROLES: 'web,worker,ingest' });
    expect(run.code).toBe(2);
    expect(run.started).toBe(false);
    expect(run.output).toContain('CHANNELS_ENCRYPTION_KEY');
    expect(run.output).toContain('npm run keygen');
    expect(run.output).not.toContain('web listening');
  });

  it('lists every problem at once', async () => {
    const run = await runServer({
      DATABASE_URL: databaseUrl,
      PATH: process.env.PATH ?? '',
    });
    expect(run.code).toBe(2);
    for (const variable of [
      'CHANNELS_ENCRYPTION_KEY',
      'SESSION_SECRET',
      'REDIS_URL',
      'MQTT_USERNAME',
      'TLS_CERT_FILE',
      'DATABASE_URL: uses a default database login',
    ]) {
      expect(run.output).toContain(variable);
    }
  });

  it('refuses a malformed key', async () => {
    const run = await runServer({ ...VALID, CHANNELS_ENCRYPTION_KEY: 'a'.repeat(43) });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/malformed Fernet key/);
  });

  it('starts with a valid configuration', async () => {
    const run = await runServer(VALID);
    expect(run.output).not.toContain('Refusing to start');
    // Started: every role came up (it is then stopped with SIGTERM).
    expect(run.started).toBe(true);
  });

  it('refuses while a demo password is still set', async () => {
    await withClient(databaseUrl, async (client) => {
      await client.query(
        `INSERT INTO users (id, email, name, role, password_hash) VALUES (gen_random_uuid(), 'admin@watchfloor.local', 'A', 'admin', $1)`,
        [await hashPassword('watchfloor-admin')],
      );
    });
    const run = await runServer(VALID);
    expect(run.code).toBe(2);
    expect(run.output).toContain('demo passwords still set for admin@watchfloor.local');
  });
});
