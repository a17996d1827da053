/** process_system_health: a component's self-reported health, kept as history and as the latest. */
import type pg from 'pg';
import { timestamptzOf } from '../db/epoch-ms';
import { partitionedTransaction } from '../db/partitions';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import { componentSite } from '../health/field-components';
import type { HandlerResult } from './types';
import type { JobDataOf } from '../../contract/job-data';

const HISTORY = 'system_health_reports';

/** Job data of process_system_health (its schema in contract/job-data.ts). */
export type SystemHealthJob = JobDataOf<'process_system_health'>;

/** Creates the handler. */
export function createSystemHealthHandler(deps: { pool: pg.Pool }) {
  return async function handle(job: SystemHealthJob): Promise<HandlerResult> {
    const metrics = job.metrics ? JSON.stringify(job.metrics) : null;
    const at = [job.reportedAt];
    const outcome = await partitionedTransaction(deps.pool, HISTORY, at, async (client) => {
      const inserted = await client.query(
        `INSERT INTO system_health_reports (message_key, component, status, detail, metrics, reported_at, received_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, ${timestamptzOf('$6::float8')}, ${timestamptzOf('$7::float8')})
         ON CONFLICT (message_key, reported_at) DO NOTHING`,
        [
          job.messageKey,
          job.component,
          job.status,
          job.detail,
          metrics,
          job.reportedAt,
          job.receivedAt,
        ],
      );
      if (inserted.rowCount === 0) return 'duplicate' as const;
      const latest = await client.query(
        `INSERT INTO component_health (component, status, detail, metrics, reported_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, ${timestamptzOf('$5::float8')}, now())
         ON CONFLICT (component) DO UPDATE
           SET status = EXCLUDED.status, detail = EXCLUDED.detail, metrics = EXCLUDED.metrics,
               reported_at = EXCLUDED.reported_at, updated_at = now()
           WHERE component_health.reported_at < EXCLUDED.reported_at`,
        [job.component, job.status, job.detail, metrics, job.reportedAt],
      );
      if (latest.rowCount !== 1) return 'stored' as const;
      return { siteId: await componentSite(client, job.component) };
    });
    if (outcome === 'duplicate') return { outcome, events: [] };
    if (outcome === 'stored') return { outcome, events: [] };
    return {
      outcome: 'stored',
      events: [
        {
          type: CHANNEL_EVENTS.componentHealth,
          payload: {
            component: job.component,
            siteId: outcome.siteId,
            status: job.status,
            detail: job.detail,
            metrics: job.metrics,
            reportedAt: job.reportedAt,
          },
        },
      ],
    };
  };
}
