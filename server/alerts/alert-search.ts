/** Searching alerts for the feed's filters (GET /api/alerts). */
import type pg from 'pg';
import type { AlertDto, AlertSeverity, AlertStatus } from '../realtime/events';
import { ALERT_SELECT, toAlertDto, type AlertRow } from './queries';

export interface AlertSearch {
  severities?: AlertSeverity[];
  statuses?: AlertStatus[];
  siteIds?: string[];
  /** The caller's visible sites; 'all' for admins. Sites outside it are never returned. */
  visibleSiteIds: string[] | 'all';
  limit: number;
}

/** Alerts matching every given filter, newest raised first. */
export async function searchAlerts(pool: pg.Pool, search: AlertSearch): Promise<AlertDto[]> {
  const visible = search.visibleSiteIds === 'all' ? null : search.visibleSiteIds;
  const { rows } = await pool.query<AlertRow>(
    `${ALERT_SELECT}
     WHERE ($1::text[] IS NULL OR a.severity::text = ANY($1))
       AND ($2::text[] IS NULL OR a.status::text = ANY($2))
       AND ($3::text[] IS NULL OR a.site_id = ANY($3))
       AND ($4::text[] IS NULL OR a.site_id = ANY($4))
     ORDER BY a.raised_at DESC LIMIT $5`,
    [
      search.severities?.length ? search.severities : null,
      search.statuses?.length ? search.statuses : null,
      search.siteIds?.length ? search.siteIds : null,
      visible,
      search.limit,
    ],
  );
  return rows.map(toAlertDto);
}
