/**
 * Process entry: `npm start` (node --import tsx scripts/start.ts, which imports this: tsx as a loader,
 * not its CLI, whose signal relay SIGKILLs the server when it does not answer
 * a SIGTERM within 30 ms, e.g. while busy starting). See run-server.ts.
 */
import { runServer } from './run-server';

runServer().catch((error: Error) => {
  process.stderr.write(`watchfloor failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
