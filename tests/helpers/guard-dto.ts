/** A guard as screens get it (GuardDto), nothing known of it but what `extra` says: for unit tests. */
import type { GuardDto } from '../../contract/guards';

/** Site `site`, no position, status, telemetry or last-seen time unless given. */
export function guardDto(id: string, extra: Partial<GuardDto> = {}): GuardDto {
  return {
    id,
    name: id,
    siteId: 'site',
    dutyStatus: null,
    dutyStatusAt: null,
    battery: null,
    signalDbm: null,
    signalPercent: null,
    lastSeenAt: null,
    position: null,
    ...extra,
  };
}
