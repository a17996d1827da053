/**
 * How Next.js route handlers (app/api/**) reach the clients the composition
 * root built: the web role provides them once at start-up. Route handlers stay
 * thin: parse, call a domain function, publish its events, answer.
 * Type-only imports, so Next never bundles the server's clients.
 *
 * The server's only globalThis bridge, and why it must be one: Next bundles
 * the route handlers apart from the custom server, so they share no module
 * instance with it (a module-level variable here would be two variables) and
 * Next offers no way to hand them arguments. Everything else is passed down.
 */
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { ChannelEvent } from '../realtime/channel-events';
import type { LoginLimiter } from '../auth/login-limiter';
import type { ReplayLimiter } from '../guards/replay-limiter';
import type { AdminServices } from '../admin/admin-services';
import type { ChartHistoryDto } from '../../contract/charts';

export interface WebContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** Sends an event to every web node (and so to the screens). */
  publish(event: ChannelEvent): void;
  /** Failed-login counting on Redis, shared by every web node. */
  loginLimiter: LoginLimiter;
  /** Replays per user and minute, shared by every web node. */
  replayLimiter: ReplayLimiter;
  /** Queue inspection and actions, the stats feed and the command producer (admin page, commands API). */
  admin: AdminServices;
  /** The chart samples this node kept (GET /api/charts). */
  chartHistory(): ChartHistoryDto;
}

const KEY = Symbol.for('watchfloor.web-context');
type Holder = { [KEY]?: WebContext };

/** Called by the web role before it listens. */
export function provideWebContext(context: WebContext): void {
  (globalThis as Holder)[KEY] = context;
}

/** The context, for route handlers; throws if the app was not started by server/index.ts. */
export function webContext(): WebContext {
  const context = (globalThis as Holder)[KEY];
  if (!context) throw new Error('no web context: start Watchfloor through server/index.ts');
  return context;
}
