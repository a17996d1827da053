/**
 * The alert lifecycle: open -> acknowledged -> resolved (a reason required).
 * Each transition is one conditional UPDATE, so two supervisors acting at once
 * cannot both win; the loser gets a clear conflict. Each takes a pool or the
 * client of a transaction, so the caller can commit the audit entry with it.
 */
import type pg from 'pg';
import { AppError, ValidationError } from '../errors';
import type { AlertDto } from '../../contract/alerts';
import { getAlert } from './queries';

export class AlertNotFoundError extends AppError {
  constructor(id: string) {
    super('ALERT_NOT_FOUND', `alert ${id} does not exist`, 404);
  }
}

export class AlertStateError extends AppError {
  constructor(message: string) {
    super('ALERT_STATE_CONFLICT', message, 409);
  }
}

/** A pool, or a client inside a transaction. */
type Queryable = Pick<pg.Pool, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the id has an alert id's shape (a UUID); anything else is not looked up. */
export function isAlertId(id: string): boolean {
  return UUID.test(id);
}

function assertId(id: string): void {
  if (!isAlertId(id)) throw new AlertNotFoundError(id);
}

/** Acknowledges an open alert on behalf of a user; returns the updated alert. */
export async function acknowledgeAlert(
  pool: Queryable,
  id: string,
  userId: string,
): Promise<AlertDto> {
  assertId(id);
  const result = await pool.query(
    `UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2
     WHERE id = $1 AND status = 'open'`,
    [id, userId],
  );
  const alert = await getAlert(pool, id);
  if (!alert) throw new AlertNotFoundError(id);
  if (result.rowCount === 0) throw new AlertStateError(`alert is already ${alert.status}`);
  return alert;
}

/** Resolves an alert (open or acknowledged) with a required reason. */
export async function resolveAlert(
  pool: Queryable,
  id: string,
  userId: string,
  reason: string,
): Promise<AlertDto> {
  assertId(id);
  const resolution = reason.trim();
  if (resolution.length === 0 || resolution.length > 2000) {
    throw new ValidationError('a resolution reason of 1-2000 characters is required');
  }
  // Resolving an unacknowledged alert acknowledges it too, so the trail has both.
  const result = await pool.query(
    `UPDATE alerts SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution = $3,
            acknowledged_at = COALESCE(acknowledged_at, now()),
            acknowledged_by = COALESCE(acknowledged_by, $2)
     WHERE id = $1 AND status <> 'resolved'`,
    [id, userId, resolution],
  );
  const alert = await getAlert(pool, id);
  if (!alert) throw new AlertNotFoundError(id);
  if (result.rowCount === 0) throw new AlertStateError('alert is already resolved');
  return alert;
}
