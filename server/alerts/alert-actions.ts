/**
 * The alert action use cases (acknowledge, resolve) for whoever calls them:
 * the alert must exist on a site the user can see, the transition and its
 * audit entry commit together (no change without its trail), the escalation
 * stops, and every screen gets the updated alert. A database that cannot be
 * reached surfaces as its own error (503 at the HTTP edge), never as "not found".
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { recordAudit } from '../audit/audit-log';
import { canSeeSite } from '../auth/session-user';
import { type SessionUser } from '../../contract/users';
import { withTransaction } from '../db/transaction';
import { stopEscalation } from '../escalation/escalation-control';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import type { AlertDto } from '../../contract/alerts';
import { acknowledgeAlert, AlertNotFoundError, isAlertId, resolveAlert } from './lifecycle';
import { getAlert } from './queries';

/** What the use cases need: the database, the escalation queue and the event channel. */
export interface AlertActionDeps {
  pool: pg.Pool;
  escalationQueue: Pick<Queue, 'remove'>;
  publish(event: ChannelEvent): void;
}

export type AlertAction = { kind: 'acknowledge' } | { kind: 'resolve'; reason: string };

/**
 * The alert if it exists on a site the user can see; otherwise AlertNotFoundError
 * (an alert of another site does not exist, as far as they are concerned).
 * A malformed id is not looked up; any database error propagates as it is.
 */
export async function findVisibleAlert(
  pool: Pick<pg.Pool, 'query'>,
  user: Pick<SessionUser, 'siteIds'>,
  id: string,
): Promise<AlertDto> {
  const alert = isAlertId(id) ? await getAlert(pool, id) : null;
  if (!alert || !canSeeSite(user, alert.siteId)) throw new AlertNotFoundError(id);
  return alert;
}

/** Runs one lifecycle transition on behalf of the user; returns the updated alert. */
export async function actOnAlert(
  deps: AlertActionDeps,
  user: SessionUser,
  id: string,
  action: AlertAction,
): Promise<AlertDto> {
  await findVisibleAlert(deps.pool, user, id);
  const alert = await withTransaction(deps.pool, async (client) => {
    const changed =
      action.kind === 'acknowledge'
        ? await acknowledgeAlert(client, id, user.id)
        : await resolveAlert(client, id, user.id, action.reason);
    await recordAudit(client, {
      actorId: user.id,
      action: `alert.${action.kind}`,
      target: `alert:${id}`,
      details: action.kind === 'resolve' ? { reason: action.reason } : {},
    });
    return changed;
  });
  // Acknowledging cancels the rest of the escalation at once; resolving ends it.
  await stopEscalation(
    deps.pool,
    deps.escalationQueue,
    id,
    action.kind === 'acknowledge' ? 'acknowledged' : 'resolved',
    user,
  );
  deps.publish({ type: CHANNEL_EVENTS.alert, payload: alert });
  return alert;
}
