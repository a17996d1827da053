/**
 * The sensors tab's list and the map's sensor layer: every sensor the caller
 * may see with its latest reading and unit, its kind's threshold, the latest
 * alert it raised, and its last hour from PostgreSQL as a sparkline.
 */
import type pg from 'pg';
import type { AlertStatus } from '../../contract/alerts';
import type { SensorDto } from '../../contract/sensors';
import { SPARK_BUCKET_MS, SPARK_WINDOW_MS } from '../../contract/fleet-rules';
import { SENSOR_THRESHOLDS } from './thresholds';
import { msOf } from '../db/epoch-ms';

export interface SensorQuery {
  visibleSiteIds: string[] | 'all';
  siteIds?: string[];
  kinds?: string[];
  alarmOnly?: boolean;
  now: Date;
}

interface SensorRow {
  id: string;
  /** Text in the database, written only from validated kinds. */
  kind: SensorDto['kind'];
  site_id: string | null;
  lat: number | null;
  lon: number | null;
  last_value: number | null;
  last_read_at: number | null;
  in_alarm: boolean;
  unit: string | null;
  alert_id: string | null;
  alert_status: AlertStatus | null;
  alert_raised_at: Date | null;
}

// The unit comes from the latest reading itself (an exact (sensor_id, read_at) probe);
// the alert from alerts (sensor_id, raised_at).
const SELECT_SENSORS = `
  SELECT s.id, s.kind, s.site_id,
         ST_Y(s.location::geometry) AS lat, ST_X(s.location::geometry) AS lon,
         s.last_value, ${msOf('s.last_read_at')} AS last_read_at, s.in_alarm, r.unit,
         a.id AS alert_id, a.status::text AS alert_status, a.raised_at AS alert_raised_at
  FROM sensors s
  LEFT JOIN LATERAL (
    SELECT unit FROM sensor_readings
    WHERE sensor_id = s.id AND read_at = s.last_read_at LIMIT 1
  ) r ON true
  LEFT JOIN LATERAL (
    SELECT id, status, raised_at FROM alerts
    WHERE sensor_id = s.id AND type = 'sensor_threshold'
    ORDER BY raised_at DESC LIMIT 1
  ) a ON true
  WHERE ($1::text[] IS NULL OR s.site_id = ANY($1))
    AND ($2::text[] IS NULL OR s.site_id = ANY($2))
    AND ($3::text[] IS NULL OR s.kind = ANY($3))
    AND (NOT $4::boolean OR s.in_alarm)
  ORDER BY s.in_alarm DESC, s.id`;

// The highest value of each minute: a spike past a threshold is what the sparkline must show.
const SELECT_SPARKS = `
  SELECT sensor_id,
         (floor(extract(epoch FROM read_at) * 1000 / $3) * $3)::float8 AS t,
         max(value) AS v
  FROM sensor_readings
  WHERE sensor_id = ANY($1::text[]) AND read_at >= $2
  GROUP BY 1, 2 ORDER BY 1, 2`;

/** The matching sensors, alarms first, then by id. */
export async function listSensors(pool: pg.Pool, query: SensorQuery): Promise<SensorDto[]> {
  const { rows } = await pool.query<SensorRow>(SELECT_SENSORS, [
    query.visibleSiteIds === 'all' ? null : query.visibleSiteIds,
    query.siteIds?.length ? query.siteIds : null,
    query.kinds?.length ? query.kinds : null,
    query.alarmOnly ?? false,
  ]);
  const sparks = new Map<string, [number, number][]>();
  if (rows.length > 0) {
    const { rows: points } = await pool.query<{ sensor_id: string; t: number; v: number }>(
      SELECT_SPARKS,
      [rows.map((r) => r.id), new Date(query.now.getTime() - SPARK_WINDOW_MS), SPARK_BUCKET_MS],
    );
    for (const p of points) {
      let spark = sparks.get(p.sensor_id);
      if (!spark) sparks.set(p.sensor_id, (spark = []));
      spark.push([p.t, p.v]);
    }
  }
  return rows.map((row) => {
    const threshold = SENSOR_THRESHOLDS[row.kind];
    return {
      id: row.id,
      kind: row.kind,
      siteId: row.site_id,
      location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
      lastValue: row.last_value,
      unit: row.unit,
      lastReadAt: row.last_read_at,
      inAlarm: row.in_alarm,
      threshold: threshold
        ? { atOrAbove: threshold.atOrAbove, clearBelow: threshold.clearBelow }
        : null,
      alert:
        row.alert_id && row.alert_status && row.alert_raised_at
          ? {
              id: row.alert_id,
              status: row.alert_status,
              raisedAt: row.alert_raised_at.getTime(),
            }
          : null,
      spark: sparks.get(row.id) ?? [],
    };
  });
}
