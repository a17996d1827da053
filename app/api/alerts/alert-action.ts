/**
 * The shared shape of an alert action route: who may act (supervisors and
 * admins, on sites they can see), the transition itself, the audit entry and
 * the end of its escalation, and the live event to every screen. The
 * transition and its audit entry commit together: no change without its trail.
 */
import type pg from 'pg';
import { getAlert } from '@/server/alerts/queries';
import { AlertNotFoundError } from '@/server/alerts/lifecycle';
import { recordAudit } from '@/server/audit/audit-log';
import { withTransaction } from '@/server/db/transaction';
import { canSeeSite, requireUser, type SessionUser } from '@/server/auth/request-auth';
import { stopEscalation } from '@/server/escalation/escalation-control';
import { json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { routeFor } from '@/server/queues/routes';
import { CHANNEL_EVENTS, type AlertDto } from '@/server/realtime/events';

/** Runs one lifecycle transition for the requesting user and answers with the updated alert. */
export async function runAlertAction<B extends Record<string, unknown>>(
  request: Request,
  params: Promise<{ id: string }>,
  action: 'alert.acknowledge' | 'alert.resolve',
  /** Reads and validates the body; runs after authentication, so strangers learn nothing. */
  readBody: () => Promise<B>,
  transition: (db: pg.PoolClient, user: SessionUser, id: string, body: B) => Promise<AlertDto>,
): Promise<Response> {
  const user = await requireUser(request, { roles: ['admin', 'supervisor'], mutation: true });
  const body = await readBody();
  const { id } = await params;
  const { db, publish, admin } = webContext();
  const before = await getAlert(db.pool, id).catch(() => null);
  // An alert of a site the user cannot see does not exist, as far as they are concerned.
  if (!before || !canSeeSite(user, before.siteId)) throw new AlertNotFoundError(id);
  const alert = await withTransaction(db.pool, async (client) => {
    const changed = await transition(client, user, id, body);
    await recordAudit(client, { actorId: user.id, action, target: `alert:${id}`, details: body });
    return changed;
  });
  // Acknowledging cancels the rest of the escalation at once; resolving ends it.
  await stopEscalation(
    db.pool,
    admin.queues.queue(routeFor('escalate_alert').queue),
    id,
    action === 'alert.acknowledge' ? 'acknowledged' : 'resolved',
    user,
  );
  publish({ type: CHANNEL_EVENTS.alert, payload: alert });
  return json({ alert });
}
