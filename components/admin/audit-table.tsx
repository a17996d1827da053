'use client';
/** Audit entries as rows: when, who, what, on what, from where, and the details as text. */
import type { AuditEntryDto } from '@/contract/audit';
import { formatTime } from './format';

/** Details shown as their own column, not in the list. */
const SHOWN_APART = new Set(['address']);

/** A detail value as one line of text (arrays joined, objects as JSON). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(asText).join(', ') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The family of an action picks its tag colour: failures and deletions stand out. */
function tone(action: string): string {
  if (/failed|throttled|delete|revoke|disable/.test(action)) return 'wf-admin-tag--failed';
  if (action.startsWith('auth.')) return 'wf-admin-tag--sent';
  return '';
}

/** The table; `loading` only dims it. */
export function AuditTable({ entries, loading }: { entries: AuditEntryDto[]; loading: boolean }) {
  return (
    <div className="wf-admin-table-wrap" aria-busy={loading}>
      <table className="wf-admin-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">On</th>
            <th scope="col">From</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {!loading && entries.length === 0 && (
            <tr>
              <td colSpan={6} className="wf-admin-muted">
                Nothing recorded matches.
              </td>
            </tr>
          )}
          {entries.map((entry) => {
            const details = Object.entries(entry.details).filter(
              ([key, value]) => !SHOWN_APART.has(key) && value !== undefined,
            );
            return (
              <tr key={entry.id} data-audit={entry.action} data-actor={entry.actorLabel}>
                <td className="wf-admin-nowrap" title={new Date(entry.at).toISOString()}>
                  {formatTime(entry.at)}
                </td>
                <td className="wf-admin-clip" data-field="actor">
                  {entry.actorLabel}
                </td>
                <td>
                  <span className={`wf-admin-tag ${tone(entry.action)}`}>{entry.action}</span>
                </td>
                <td className="wf-admin-code wf-admin-clip" title={entry.target ?? undefined}>
                  {entry.target ?? '—'}
                </td>
                <td className="wf-admin-code wf-admin-nowrap">
                  {asText(entry.details.address ?? null)}
                </td>
                <td data-field="details">
                  {details.length === 0 ? (
                    <span className="wf-admin-muted">—</span>
                  ) : (
                    <dl className="wf-admin-details">
                      {details.map(([key, value]) => (
                        <div key={key}>
                          <dt>{key}</dt>
                          <dd>{asText(value)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
