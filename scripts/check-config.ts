/**
 * `npm run check:config`: runs the production fail-fast checks the server runs
 * at start-up (server/security/production-checks.ts) against this environment,
 * as production, and exits 1 listing every problem, or 0.
 */
import pg from 'pg';
import { ConfigError, loadConfig } from '../server/config';
import { formatProblems, startupProblems } from '../server/security/production-checks';
import { runCli } from './lib/run-cli';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig({ ...process.env, WATCHFLOOR_ENV: 'production' });
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

runCli('', () => main());
