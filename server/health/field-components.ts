/**
 * Field components (gateways, edge boxes) as screens see them: the latest
 * report from component_health, recent history from system_health_reports,
 * and the interval each usually reports at, so a silent one can be flagged.
 *
 * A component's site is the site of the device with its id: the broker lets
 * a device write only system/<its own id>/health (deploy/mosquitto/acl), so
 * the component id is a device id, and provisioning that device to a site
 * puts its health on that site's screens. Without a site, admins only.
 */
import type pg from 'pg';
import { COMPONENT_DEFAULT_INTERVAL_MS, COMPONENT_HISTORY_LENGTH } from '../../contract/thresholds';
import type { ComponentReportDto, FieldComponentDto } from '../../contract/health';
import { msOf } from '../db/epoch-ms';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The site of a component (its device's site), or null when unknown. */
export async function componentSite(db: Queryable, component: string): Promise<string | null> {
  const { rows } = await db.query<{ site_id: string | null }>(
    `SELECT site_id FROM devices WHERE id = $1`,
    [component],
  );
  return rows[0]?.site_id ?? null;
}

interface ComponentRow {
  component: string;
  site_id: string | null;
  status: FieldComponentDto['status'];
  detail: string | null;
  metrics: Record<string, number> | null;
  reported_at: number;
  median_gap_ms: number | null;
  /** json_agg's numbers: the same epoch ms. */
  history: { status: ComponentReportDto['status']; detail: string | null; reported_at: number }[];
}

// The history rides the index (component, reported_at) per component; the
// median gap needs at least two reports, else the default interval applies.
const LIST_COMPONENTS = `
  SELECT c.component, d.site_id, c.status, c.detail, c.metrics, ${msOf('c.reported_at')} AS reported_at,
         h.median_gap_ms, COALESCE(h.history, '[]'::json) AS history
  FROM component_health c
  LEFT JOIN devices d ON d.id = c.component
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('status', r.status, 'detail', r.detail,
                                      'reported_at', ${msOf('r.reported_at')})
                    ORDER BY r.reported_at DESC)
             AS history,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.gap_ms) AS median_gap_ms
    FROM (
      SELECT status, detail, reported_at,
             extract(epoch FROM reported_at - lead(reported_at) OVER (ORDER BY reported_at DESC))
               * 1000 AS gap_ms
      FROM system_health_reports
      WHERE component = c.component
      ORDER BY reported_at DESC
      LIMIT $2
    ) r
  ) h ON true
  WHERE $1::text[] IS NULL OR d.site_id = ANY($1)
  ORDER BY c.component`;

/** Every field component the caller may see ('all': admins, including those with no site). */
export async function listFieldComponents(
  pool: pg.Pool,
  visibleSiteIds: string[] | 'all',
): Promise<FieldComponentDto[]> {
  const visible = visibleSiteIds === 'all' ? null : visibleSiteIds;
  const { rows } = await pool.query<ComponentRow>(LIST_COMPONENTS, [
    visible,
    COMPONENT_HISTORY_LENGTH,
  ]);
  return rows.map((row) => ({
    component: row.component,
    siteId: row.site_id,
    status: row.status,
    detail: row.detail,
    metrics: row.metrics,
    reportedAt: row.reported_at,
    expectedIntervalMs:
      row.median_gap_ms && row.median_gap_ms > 0
        ? Math.round(row.median_gap_ms)
        : COMPONENT_DEFAULT_INTERVAL_MS,
    history: row.history.map((h) => ({
      status: h.status,
      detail: h.detail,
      reportedAt: h.reported_at,
    })),
  }));
}
