/** An alert as screens get it, for tests that need one without a database. */
import type { AlertDto } from '../../contract/alerts';

/** An open alert nobody has acted on: every lifecycle field null; `fields` says the rest. */
export function openAlertDto(
  fields: Pick<AlertDto, 'id' | 'type' | 'severity' | 'raisedAt'> & Partial<AlertDto>,
): AlertDto {
  return {
    status: 'open',
    message: null,
    siteId: null,
    guardId: null,
    deviceId: null,
    sensorId: null,
    location: null,
    receivedAt: fields.raisedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    escalatedAt: null,
    ...fields,
  };
}
