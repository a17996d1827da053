/**
 * process_device_alert: an alert raised on a device (SOS, man-down, ...).
 * Not batched: one small transaction, so an SOS never waits for a batch.
 *
 * Attribution: the alert belongs to the device's own guard (the device's
 * assigned guard, else the guard whose id the device uses: a guard's phone
 * publishes as the guard). The broker's ACL proves only which device
 * published, so a payload `guardId` counts only when it names that same
 * guard. Any other guard, even one on the device's own site, is ignored: a
 * stolen phone or a sensor must not raise an SOS in someone else's name at
 * their last position. The alert is still raised for the device (site and
 * location from the device), and the ignored claim is reported for metrics
 * and the log.
 */
import type pg from 'pg';
import { insertAlerts } from '../alerts/raise';
import { withTransaction } from '../db/transaction';
import { registerDevices } from '../devices/registry';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import type { HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

/** Job data of process_device_alert (its schema in contract/job-data.ts). */
export type DeviceAlertJob = JobDataOf<'process_device_alert'>;

interface Resolved {
  guard_id: string | null;
  site_id: string | null;
  lat: number | null;
  lon: number | null;
}

// Where the alert belongs: the device's own guard and site, and the guard's last position as a fallback location.
const RESOLVE_GUARD = `
  SELECT g.id AS guard_id, COALESCE(g.site_id, d.site_id) AS site_id,
         ST_Y(g.last_position::geometry) AS lat, ST_X(g.last_position::geometry) AS lon
  FROM devices d
  LEFT JOIN guards g ON g.id = COALESCE(d.guard_id, (SELECT id FROM guards WHERE id = d.id))
  WHERE d.id = $1`;

/** Creates the handler. */
export function createDeviceAlertHandler(deps: { pool: pg.Pool }) {
  return async function handle(job: DeviceAlertJob): Promise<HandlerResult> {
    await registerDevices(deps.pool, [job.deviceId]);
    let ignoredClaim: HandlerResult['ignoredGuardClaim'];
    const raised = await withTransaction(deps.pool, async (client) => {
      const { rows } = await client.query<Resolved>(RESOLVE_GUARD, [job.deviceId]);
      const where = rows[0];
      const ownGuard = where?.guard_id ?? null;
      ignoredClaim =
        job.guardId !== null && job.guardId !== ownGuard
          ? { claimed: job.guardId, attributed: ownGuard }
          : undefined;
      const fallback =
        where?.lat != null && where.lon != null ? { lat: where.lat, lon: where.lon } : null;
      return insertAlerts(client, [
        {
          type: job.type,
          message: job.message,
          siteId: where?.site_id ?? null,
          guardId: where?.guard_id ?? null,
          deviceId: job.deviceId,
          sensorId: null,
          location: job.location ?? fallback,
          raisedAt: new Date(job.raisedAt),
          receivedAt: new Date(job.receivedAt),
          messageKey: job.messageKey,
        },
      ]);
    });
    const alert = raised.get(job.messageKey);
    if (!alert) return { outcome: 'duplicate', events: [], ignoredGuardClaim: ignoredClaim };
    return {
      outcome: 'stored',
      events: [{ type: CHANNEL_EVENTS.alert, payload: alert }],
      alertsRaised: 1,
      ignoredGuardClaim: ignoredClaim,
    };
  };
}
