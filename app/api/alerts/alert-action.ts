/**
 * The shared shape of an alert action route: who may act (supervisors and
 * admins, on sites they can see), the transition itself, the audit entry and
 * the live event to every screen.
 */
import { getAlert } from '@/server/alerts/queries';
import { AlertNotFoundError } from '@/server/alerts/lifecycle';
import { recordAudit } from '@/server/audit/audit-log';
import { canSeeSite, requireUser, type SessionUser } from '@/server/auth/request-auth';
import { json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { CHANNEL_EVENTS, type AlertDto } from '@/server/realtime/events';

/** Runs one lifecycle transition for the requesting user and answers with the updated alert. */
export async function runAlertAction<B extends Record<string, unknown>>(
  request: Request,
  params: Promise<{ id: string }>,
  action: 'alert.acknowledge' | 'alert.resolve',
  /** Reads and validates the body; runs after authentication, so strangers learn nothing. */
  readBody: () => Promise<B>,
  transition: (user: SessionUser, id: string, body: B) => Promise<AlertDto>,
): Promise<Response> {
  const user = await requireUser(request, { roles: ['admin', 'supervisor'], mutation: true });
  const body = await readBody();
  const { id } = await params;
  const { db, publish } = webContext();
  const before = await getAlert(db.pool, id).catch(() => null);
  // An alert of a site the user cannot see does not exist, as far as they are concerned.
  if (!before || !canSeeSite(user, before.siteId)) throw new AlertNotFoundError(id);
  const alert = await transition(user, id, body);
  await recordAudit(db.pool, { actorId: user.id, action, target: `alert:${id}`, details: body });
  publish({ type: CHANNEL_EVENTS.alert, payload: alert });
  return json({ alert });
}
