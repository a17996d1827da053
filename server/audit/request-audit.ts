/**
 * Audit entries for changes made through the REST API: the acting user and
 * the client address the web node saw (so the log says from where).
 *
 *   await auditRequest(db.pool, request, admin, { action: 'user.create', target: `user:${id}` });
 */
import type pg from 'pg';
import type { SessionUser } from '../../contract/users';
import { CLIENT_ADDRESS_HEADER } from '../security/client-address';
import { recordAudit, type AuditInput } from './audit-log';

/** Records what `actor` did through `request`. */
export async function auditRequest(
  db: Pick<pg.Pool, 'query'>,
  request: Request,
  actor: Pick<SessionUser, 'id'>,
  entry: Omit<AuditInput, 'actorId'>,
): Promise<void> {
  const address = request.headers.get(CLIENT_ADDRESS_HEADER) || null;
  await recordAudit(db, {
    ...entry,
    actorId: actor.id,
    details: { ...entry.details, ...(address ? { address } : {}) },
  });
}

/** The acting admin of a request, for the shared use cases (server/users/account-actions.ts). */
export function requestActor(request: Request, actor: Pick<SessionUser, 'id'>) {
  return { id: actor.id, address: request.headers.get(CLIENT_ADDRESS_HEADER) || null };
}
