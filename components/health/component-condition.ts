/**
 * What a field component's state means on screen: down or degraded as it
 * reported, or silent when its last report is older than
 * COMPONENT_SILENT_AFTER_INTERVALS of its usual interval (a dead gateway
 * reports nothing at all, so silence is the sign that matters most).
 */
import { COMPONENT_SILENT_AFTER_INTERVALS } from '@/contract/thresholds';
import type { FieldComponentDto, HealthStatus } from '@/contract/health';

export type ComponentCondition = HealthStatus | 'silent';

export const CONDITION_LABELS: Record<ComponentCondition, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  down: 'Down',
  silent: 'Silent',
};

/** The condition at serverNowMs (the server's clock: browser time + clock offset). */
export function componentCondition(
  component: Pick<FieldComponentDto, 'status' | 'reportedAt' | 'expectedIntervalMs'>,
  serverNowMs: number,
): ComponentCondition {
  if (component.status === 'down') return 'down';
  const silentAfter = COMPONENT_SILENT_AFTER_INTERVALS * component.expectedIntervalMs;
  if (serverNowMs - component.reportedAt > silentAfter) return 'silent';
  return component.status;
}

/** How many components need attention (anything but ok): the wall's figure. */
export function countNeedingAttention(
  components: readonly FieldComponentDto[],
  serverNowMs: number,
): number {
  return components.filter((c) => componentCondition(c, serverNowMs) !== 'ok').length;
}
