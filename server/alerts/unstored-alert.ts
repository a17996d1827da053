/**
 * A device alert whose storing failed for good (its job is in the failed set
 * with the error): it is still pushed to screens, marked as not stored, so an
 * SOS never stays invisible because PostgreSQL refused it. The screens cannot
 * acknowledge it (there is no row); admins see the job and its error among the
 * failed jobs and can retry it once the cause is fixed.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DeviceAlertJob } from '../handlers/device-alert';
import { ALERT_SEVERITY, type AlertDto } from '../../contract/alerts';

/** A stable id per message, in UUID form: a screen that gets it twice shows it once. */
function idOf(messageKey: string): string {
  const h = createHash('sha256').update(`unstored:${messageKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The device's site and own guard, read in one statement; nothing when the
 * database cannot answer either (the alert then goes to the unassigned room,
 * which admins see).
 */
async function whereOf(
  pool: pg.Pool,
  deviceId: string,
): Promise<{ siteId: string | null; guardId: string | null }> {
  try {
    const { rows } = await pool.query<{ site_id: string | null; guard_id: string | null }>(
      `SELECT COALESCE(g.site_id, d.site_id) AS site_id, g.id AS guard_id
       FROM devices d
       LEFT JOIN guards g ON g.id = COALESCE(d.guard_id, (SELECT id FROM guards WHERE id = d.id))
       WHERE d.id = $1`,
      [deviceId],
    );
    return { siteId: rows[0]?.site_id ?? null, guardId: rows[0]?.guard_id ?? null };
  } catch {
    return { siteId: null, guardId: null };
  }
}

/** The alert as screens show it, from the job's data, marked `stored: false`. */
export async function unstoredAlert(pool: pg.Pool, job: DeviceAlertJob): Promise<AlertDto> {
  const where = await whereOf(pool, job.deviceId);
  return {
    id: idOf(job.messageKey),
    type: job.type,
    severity: ALERT_SEVERITY[job.type],
    status: 'open',
    message: job.message,
    siteId: where.siteId,
    guardId: where.guardId,
    deviceId: job.deviceId,
    sensorId: null,
    location: job.location,
    // Epoch ms in the job data (contract/job-data.ts) as in the DTO.
    raisedAt: job.raisedAt,
    receivedAt: job.receivedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    // Nothing escalates an alert that has no row (escalation reads alerts).
    escalatedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    stored: false,
  };
}
