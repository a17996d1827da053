/**
 * The server process's life: reads the config, fails fast on unsafe settings,
 * starts the roles and stops them gracefully on SIGINT/SIGTERM (exit 0), or
 * exits 1 if that takes longer than SHUTDOWN_TIMEOUT_MS.
 */
import { ConfigError, loadConfig } from './config';
import { startWatchfloor, type StartOptions } from './app';
import { createLogger } from './logger';
import { formatProblems, startupProblems } from './security/production-checks';
import pg from 'pg';

/** Runs the server until SIGINT/SIGTERM; exits the process on a bad config or unsafe setting. */
export async function runServer(options: StartOptions = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Fail fast, before anything listens: every unsafe setting at once, with its fix.
  const dbUrl = config.DATABASE_URL;
  const problems = await startupProblems(config, () =>
    // A pool error must not crash the check: the failed query reports it instead.
    new pg.Pool({ connectionString: dbUrl, max: 1 }).on('error', () => undefined),
  );
  if (problems.length > 0) {
    process.stderr.write(formatProblems(problems));
    process.exit(2);
  }
  const logger = createLogger(
    config.LOG_LEVEL,
    { service: 'watchfloor' },
    undefined,
    config.LOG_FORMAT,
  );
  const shutdownTimeoutMs = config.SHUTDOWN_TIMEOUT_MS;

  // Signal handlers go in before anything starts: a SIGTERM during start-up
  // waits for the start to finish, then stops cleanly, instead of killing the
  // process with clients half open.
  let stopping = false;
  const starting = startWatchfloor(config, logger, options);
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    starting
      .then((app) => app.stop())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: Error) => {
          logger.error({ err: err.message }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await starting;
}
