/**
 * Production fail-fast: everything that makes a deployment unsafe, listed at
 * once, each with how to fix it. server/index.ts runs these before anything
 * listens; `npm run check:config` runs the same and exits non-zero.
 *
 * Development keeps working with none of it. A malformed encryption key is an
 * error everywhere: a typo must never silently mean "no encryption".
 */
import type pg from 'pg';
import { DEMO_USERS } from '../../prisma/seed-data';
import { LOCAL_SERVICE_DEFAULTS, type Config } from '../config';
import { escalationConfigProblems } from '../escalation/escalation-settings';
import { redisNodeUrls } from '../redis';
import { verifyPassword } from '../users/passwords';
import { parseKeyList } from './channel-codec';
import type { ConfigProblem } from './config-problem';
import { transportProblems } from './transport-checks';

const MIN_SESSION_SECRET = 32;
const WEAK_SECRETS = /^(secret|changeme|change-me|password|watchfloor|test|development|default)/i;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const KEYGEN =
  'run `npm run keygen` and set CHANNELS_ENCRYPTION_KEY to the printed key on every process (web, ingest, worker)';

/** The checks that need no database: key format always, the rest in production. */
export function configProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (variable: string, problem: string, fix: string) =>
    problems.push({ variable, problem, fix });

  if (config.CHANNELS_ENCRYPTION_KEY?.trim()) {
    try {
      parseKeyList(config.CHANNELS_ENCRYPTION_KEY);
    } catch (error) {
      add(
        'CHANNELS_ENCRYPTION_KEY',
        (error as Error).message,
        `${KEYGEN}; a Fernet key is the url-safe base64 of 32 bytes (44 characters ending in "=")`,
      );
    }
  }
  if (config.LOCAL_DEMO && !LOOPBACK.has(config.HOST)) {
    add(
      'LOCAL_DEMO',
      `set while HOST is ${config.HOST}: the demo waivers are only safe on a loopback address`,
      'unset LOCAL_DEMO (and meet the checks below), or set HOST=127.0.0.1',
    );
  }
  if (config.NODE_ENV !== 'production') return problems;

  if (config.LOG_FORMAT === 'pretty' && !config.LOCAL_DEMO) {
    add(
      'LOG_FORMAT',
      'pretty in production: log shippers read JSON, and pino-pretty is a devDependency',
      'unset LOG_FORMAT (json)',
    );
  }

  const web = config.ROLES.includes('web');
  const usesMqtt = web || config.ROLES.includes('ingest');
  if (!config.CHANNELS_ENCRYPTION_KEY?.trim()) {
    add('CHANNELS_ENCRYPTION_KEY', 'missing: events would cross Redis in plain text', KEYGEN);
  }
  const secret = config.SESSION_SECRET ?? '';
  if (!secret) {
    add(
      'SESSION_SECRET',
      'missing',
      'set SESSION_SECRET to at least 32 random characters, e.g. `openssl rand -base64 48`',
    );
  } else if (
    secret.length < MIN_SESSION_SECRET ||
    WEAK_SECRETS.test(secret) ||
    new Set(secret).size < 10
  ) {
    add(
      'SESSION_SECRET',
      `weak (${secret.length} characters, or a guessable word)`,
      'set SESSION_SECRET to at least 32 random characters, e.g. `openssl rand -base64 48`',
    );
  }
  const plainRedis = redisNodeUrls(config.REDIS_URL).some((url) => !url.startsWith('rediss://'));
  if (plainRedis && !config.REDIS_TLS_WAIVED && !config.LOCAL_DEMO) {
    add(
      'REDIS_URL',
      'not rediss:// (Redis traffic unencrypted on the network)',
      'use a rediss:// URL, or set REDIS_TLS_WAIVED=private-network if Redis is only reachable on a private network',
    );
  }
  if (usesMqtt && (!config.MQTT_USERNAME || !config.MQTT_PASSWORD)) {
    add(
      'MQTT_USERNAME/MQTT_PASSWORD',
      'missing: the broker must refuse anonymous clients',
      "set the ingest user's credentials from deploy/mosquitto (see deploy/mosquitto/README.md)",
    );
  }
  const hasCert = !!config.TLS_CERT_FILE && !!config.TLS_KEY_FILE;
  if (web && !hasCert && !config.TRUST_TLS_PROXY && !config.LOCAL_DEMO) {
    add(
      'TLS_CERT_FILE/TLS_KEY_FILE',
      'no HTTPS: sessions and live positions would cross the network in plain text',
      'set TLS_CERT_FILE and TLS_KEY_FILE (PEM), or TRUST_TLS_PROXY=true when a TLS-terminating proxy is in front',
    );
  }
  if (!!config.TLS_CERT_FILE !== !!config.TLS_KEY_FILE) {
    add('TLS_CERT_FILE/TLS_KEY_FILE', 'only one of the two is set', 'set both, or neither');
  }
  problems.push(...transportProblems(config));
  problems.push(...failClosedProblems(config));
  problems.push(...escalationConfigProblems(config));
  return problems;
}

// --- Issue 10, point 8: checks that used to fail open ---

/**
 * A login anyone can guess: the local stack's, stock images', or a password equal
 * to the user name. A URL without a password (PGPASSWORD, .pgpass, certificates)
 * is not judged here.
 */
function isDefaultDatabaseLogin(databaseUrl: string): boolean {
  let user: string;
  let password: string;
  try {
    const url = new URL(databaseUrl);
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    return false; // loadConfig already refused a malformed URL
  }
  if (!password) return false;
  const local = new URL(LOCAL_SERVICE_DEFAULTS.databaseUrl);
  return (
    password === user ||
    password === decodeURIComponent(local.password) ||
    ['postgres', 'password', 'changeme', 'secret'].includes(password.toLowerCase())
  );
}

/** Production problems of the environment rule, the database login and the demo waivers. */
function failClosedProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (isDefaultDatabaseLogin(config.DATABASE_URL) && !config.LOCAL_DEMO) {
    problems.push({
      variable: 'DATABASE_URL',
      problem: 'uses a default database login (user and password anyone can guess)',
      fix: 'create a database user with a random password and put it in DATABASE_URL',
    });
  }
  if (config.LOCAL_DEMO && config.TRUST_TLS_PROXY) {
    problems.push({
      variable: 'LOCAL_DEMO/TRUST_TLS_PROXY',
      problem:
        'both set: a proxy in front would publish the demo waivers (demo passwords, plain Redis) to the network',
      fix: 'unset LOCAL_DEMO for a deployment behind a proxy (and meet the checks above)',
    });
  }
  return problems;
}

/** Users still holding a demo password: the seeded demo accounts, and any admin. */
export async function demoPasswordProblems(pool: pg.Pool): Promise<ConfigProblem[]> {
  const demoPasswords = DEMO_USERS.map((u) => u.password);
  const { rows } = await pool.query<{ email: string; role: string; password_hash: string }>(
    `SELECT email, role, password_hash FROM users WHERE email = ANY($1) OR role = 'admin'`,
    [DEMO_USERS.map((u) => u.email)],
  );
  const weak: string[] = [];
  for (const row of rows) {
    for (const password of demoPasswords) {
      if (await verifyPassword(row.password_hash, password)) {
        weak.push(row.email);
        break;
      }
    }
  }
  if (weak.length === 0) return [];
  return [
    {
      variable: 'users',
      problem: `demo passwords still set for ${weak.join(', ')}`,
      fix: 'change them (admin page /admin/users, or `npm run users -- set-password <email>`), or delete the demo users',
    },
  ];
}

/** Every problem: the config checks, plus (production, not the local demo) the database check. */
export async function startupProblems(
  config: Config,
  pool: () => pg.Pool,
): Promise<ConfigProblem[]> {
  const problems = configProblems(config);
  if (config.NODE_ENV !== 'production' || config.LOCAL_DEMO) return problems;
  const db = pool();
  try {
    problems.push(...(await demoPasswordProblems(db)));
  } catch (error) {
    problems.push({
      variable: 'DATABASE_URL',
      problem: `cannot check the users for demo passwords: ${(error as Error).message}`,
      fix: 'make sure the database is reachable and migrated (`npm run migrate`)',
    });
  } finally {
    await db.end().catch(() => undefined);
  }
  return problems;
}

/** The report printed before exiting. */
export function formatProblems(problems: ConfigProblem[]): string {
  return [
    `Refusing to start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}`,
    ...problems.map((p) => `  - ${p.variable}: ${p.problem}\n      fix: ${p.fix}`),
    '',
  ].join('\n');
}
