/** The audit page's filters as the API's query string (times from the browser's local zone, sent as epoch ms). */

export interface AuditFilters {
  actor: string;
  action: string;
  /** `datetime-local` values: local wall-clock time, no zone. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', action: '', from: '', to: '' };

/** A datetime-local value as epoch ms, the contract's time; the browser knows the local offset. */
function localToEpochMs(value: string): string | null {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : String(ms);
}

/** `/api/admin/audit?...` for the filters, one page of `limit`, older than `before`. */
export function auditPath(filters: AuditFilters, limit: number, before?: string | null): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filters.actor.trim()) query.set('actor', filters.actor.trim());
  if (filters.action) query.set('action', filters.action);
  const from = filters.from && localToEpochMs(filters.from);
  const to = filters.to && localToEpochMs(filters.to);
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  if (before) query.set('before', before);
  return `/api/admin/audit?${query.toString()}`;
}
