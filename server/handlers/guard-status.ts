/** process_guard_status: a guard's duty status (on duty, patrolling, break, off duty). */
import type pg from 'pg';
import { timestamptzOf } from '../db/epoch-ms';
import { partitionedTransaction } from '../db/partitions';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import type { HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

const HISTORY = 'guard_status_reports';
const REPORTED_AT = timestamptzOf('$3::float8');

/** Job data of process_guard_status (its schema in contract/job-data.ts). */
export type GuardStatusJob = JobDataOf<'process_guard_status'>;

/** Creates the handler. */
export function createGuardStatusHandler(deps: { pool: pg.Pool }) {
  return async function handle(job: GuardStatusJob): Promise<HandlerResult> {
    const at = [job.reportedAt];
    const result = await partitionedTransaction(deps.pool, HISTORY, at, async (client) => {
      await client.query(
        `INSERT INTO guards (id, name, updated_at) VALUES ($1, $1, now()) ON CONFLICT (id) DO NOTHING`,
        [job.guardId],
      );
      const inserted = await client.query(
        `INSERT INTO guard_status_reports (message_key, guard_id, status, note, reported_at, received_at)
         VALUES ($1, $2, $3, $4, ${timestamptzOf('$5::float8')}, ${timestamptzOf('$6::float8')})
         ON CONFLICT (message_key, reported_at) DO NOTHING`,
        [job.messageKey, job.guardId, job.status, job.note, job.reportedAt, job.receivedAt],
      );
      if (inserted.rowCount === 0) return null;
      // A late report older than the current status is kept as history only.
      const { rows } = await client.query<{ site_id: string | null }>(
        `UPDATE guards SET duty_status = $2, duty_status_at = ${REPORTED_AT}, updated_at = now()
         WHERE id = $1 AND (duty_status_at IS NULL OR duty_status_at < ${REPORTED_AT})
         RETURNING site_id`,
        [job.guardId, job.status, job.reportedAt],
      );
      return { advanced: rows[0] };
    });
    if (!result) return { outcome: 'duplicate', events: [] };
    if (!result.advanced) return { outcome: 'stored', events: [] };
    return {
      outcome: 'stored',
      events: [
        {
          type: CHANNEL_EVENTS.guardStatus,
          payload: {
            guardId: job.guardId,
            siteId: result.advanced.site_id,
            dutyStatus: job.status,
            at: job.reportedAt,
          },
        },
      ],
    };
  };
}
