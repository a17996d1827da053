/**
 * `npm run check:config [-- --env-file <file>]`: runs the production fail-fast
 * checks the server runs at start-up (server/security/production-checks.ts)
 * as production, and exits 1 listing every problem, or 0.
 *
 * Without --env-file it checks this process's environment. With it, it checks
 * the file alone, as a systemd unit's EnvironmentFile= hands it to the server
 * (deploy/watchfloor.env.example), and also refuses variables the server does
 * not know (a misspelt name would otherwise be ignored without a word) and
 * any `<placeholder>` of the template still in a value.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import pg from 'pg';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../server/config';
import { formatProblems, startupProblems } from '../server/security/production-checks';
import { runCli } from './lib/run-cli';

/** Read by Node or by libraries (pg's PG* variables), not by Watchfloor's config. */
const PLATFORM_VARIABLE = /^(PG[A-Z]+|NODE_[A-Z_]+|UV_THREADPOOL_SIZE|TZ)$/;

/** A `<placeholder>` of the template left in a value (an e-mail address in <> is not one). */
const PLACEHOLDER = /<[^<>@]+>/;

/** The environment to check (the file's variables alone, or this process's) and what is wrong with the file. */
function environment(envFile: string | undefined): {
  env: Record<string, string | undefined>;
  fileProblems: string[];
} {
  if (!envFile) return { env: process.env, fileProblems: [] };
  const env = parseEnv(readFileSync(envFile, 'utf8'));
  // Libraries read their own variables (PGPASSWORD) from the process, as under systemd.
  Object.assign(process.env, env);
  const known = new Set(CONFIG_VARIABLES);
  const unknown = Object.keys(env).filter((k) => !known.has(k) && !PLATFORM_VARIABLE.test(k));
  const placeholders = Object.keys(env).filter((k) => PLACEHOLDER.test(env[k]!));
  return {
    env,
    fileProblems: [
      ...unknown.map((k) => `${k}: unknown variable (misspelt? the server ignores it)`),
      ...placeholders.map((k) => `${k}: still a placeholder (${PLACEHOLDER.exec(env[k]!)![0]})`),
    ],
  };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'env-file': { type: 'string' } } });
  const { env, fileProblems } = environment(values['env-file']);
  if (fileProblems.length > 0) {
    console.error(`Not fit for production:\n${fileProblems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  let config;
  try {
    config = loadConfig({ ...env, WATCHFLOOR_ENV: 'production' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const url = config.DATABASE_URL;
  const problems = await startupProblems(config, () =>
    new pg.Pool({ connectionString: url, max: 1 }).on('error', () => undefined),
  );
  if (problems.length > 0) {
    console.error(formatProblems(problems).replace('Refusing to start', 'Not fit for production'));
    return 1;
  }
  console.log('configuration OK for production');
  return 0;
}

runCli('', (args) => main(args));
