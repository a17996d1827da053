/** Field components' self-reported health (system/<id>/health). */
import type { EpochMs } from './time';

export const HEALTH_STATUSES = ['ok', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** A field component's (gateway, edge box) latest self-reported health. */
export interface ComponentHealthDto {
  component: string;
  /** The site of the device with the component's id (its broker user); null: admins only. */
  siteId: string | null;
  status: HealthStatus;
  detail: string | null;
  metrics: Record<string, number> | null;
  reportedAt: EpochMs;
}

/** One past report of a field component, newest first in FieldComponentDto.history. */
export interface ComponentReportDto {
  status: HealthStatus;
  detail: string | null;
  reportedAt: EpochMs;
}

/** A field component as the charts tab lists it (GET /api/components). */
export interface FieldComponentDto extends ComponentHealthDto {
  /** Its usual gap between reports (median of the recent ones), or the default. */
  expectedIntervalMs: number;
  /** Its latest reports, newest first, at most COMPONENT_HISTORY_LENGTH (thresholds.ts). */
  history: ComponentReportDto[];
}
