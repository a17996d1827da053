/**
 * A server process for tests: server/index.ts without the Next.js pages (no
 * build needed): Socket.IO, /healthz and /metrics on the web role, and every
 * other role as it is. Started by role-process.ts.
 */
import { runServer } from '../../server/run-server';

runServer({ pages: false }).catch((error: Error) => {
  process.stderr.write(`watchfloor failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
