/** The alert action use cases' dependencies, from the web context (server/alerts/alert-actions.ts). */
import type { AlertActionDeps } from '@/server/alerts/alert-actions';
import type { RequireUserOptions } from '@/server/auth/request-auth';
import { webContext } from '@/server/http/web-context';
import { routeFor } from '@/server/queues/routes';

/** Who may act on alerts: supervisors and admins (on sites they can see), never a wall. */
export const ALERT_ACTORS: RequireUserOptions = { roles: ['admin', 'supervisor'], mutation: true };

/** The pool, the escalation queue and the event channel of this web node. */
export function alertActionDeps(): AlertActionDeps {
  const { db, publish, admin } = webContext();
  return {
    pool: db.pool,
    escalationQueue: admin.queues.queue(routeFor('escalate_alert').queue),
    publish,
  };
}
