/**
 * Admins cannot lock everyone out: the last active admin is never demoted,
 * disabled or deleted, whoever asks (page, API or CLI).
 */
import type pg from 'pg';
import { AppError } from '../errors';

/** 409: the change would leave no active admin. */
export class LastAdminError extends AppError {
  constructor() {
    super(
      'LAST_ADMIN',
      'this is the last active admin: make another user admin first, so someone can still manage Watchfloor',
      409,
    );
    this.name = 'LastAdminError';
  }
}

/**
 * Throws LastAdminError when `userId` is the only active admin. Run inside the
 * transaction that removes the admin: the rows are locked, so two admins
 * demoting each other at once cannot both succeed.
 */
export async function assertAnotherAdminRemains(
  client: Pick<pg.PoolClient, 'query'>,
  userId: string,
): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
  );
  if (rows.some((r) => r.id === userId) && rows.length === 1) throw new LastAdminError();
}

/** What a change does to a user's access, for the self-lockout check. */
export interface AccessRemoval {
  delete?: boolean;
  role?: string;
  disabled?: boolean;
}

/** 409 when an admin would demote, disable or delete themselves (another admin must do it). */
export function refuseSelfLockout(actorId: string, targetId: string, change: AccessRemoval): void {
  if (actorId !== targetId) return;
  if (change.delete) throw new AppError('SELF_DELETION', 'you cannot delete your own account', 409);
  if (change.disabled)
    throw new AppError('SELF_DISABLE', 'you cannot disable your own account', 409);
  if (change.role && change.role !== 'admin')
    throw new AppError('SELF_DEMOTION', 'you cannot remove your own admin role', 409);
}
