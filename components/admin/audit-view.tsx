'use client';
/**
 * `/admin/audit`: who did what, to what, when and from where, newest first.
 * Pages come from the server by cursor ("Show older"); filters by actor,
 * action (or a family, e.g. every "user." action) and time range. Every
 * value is rendered as text: a hostile name in a detail stays a string.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { AuditEntryDto, AuditPage } from '@/contract/audit';
import { getJson } from './admin-api';
import { AdminShell } from './admin-shell';
import { auditPath, NO_FILTERS, type AuditFilters } from './audit-query';
import { AuditTable } from './audit-table';
import { ErrorNotice } from './error-notice';
import { useJson } from './use-json';

const PAGE_SIZE = 50;

/** The first word of each action ("auth", "user", ...), offered as families in the filter. */
function families(actions: string[]): string[] {
  return [...new Set(actions.map((a) => a.split('.')[0]!))].sort();
}

/** The audit log page. */
export function AuditView() {
  const known = useJson<{ actions: string[] }>('/api/admin/audit/actions');
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntryDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  // A new filter starts again from the newest entry.
  useEffect(() => {
    const request = new AbortController();
    getJson<AuditPage>(auditPath(filters, PAGE_SIZE), request.signal)
      .then((page) => {
        setEntries(page.entries);
        setCursor(page.nextCursor);
        setError(null);
      })
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setError(err.message);
      })
      .finally(() => setLoading(false));
    return () => request.abort();
  }, [filters]);

  const older = () => {
    if (!cursor) return;
    setLoading(true);
    getJson<AuditPage>(auditPath(filters, PAGE_SIZE, cursor))
      .then((page) => {
        setEntries((prev) => [...prev, ...page.entries]);
        setCursor(page.nextCursor);
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setLoading(false));
  };

  const show = (next: AuditFilters) => {
    setLoading(true);
    // A new object each time: applying the same filters again still re-reads.
    setFilters({ ...next });
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    show(draft);
  };
  const set = (field: keyof AuditFilters) => (value: string) =>
    setDraft((prev) => ({ ...prev, [field]: value }));
  const actions = known.data?.actions ?? [];

  return (
    <AdminShell>
      <main className="wf-admin-main wf-admin-page">
        <h1 className="wf-admin-page__title">Audit log</h1>
        <form className="wf-admin-form" onSubmit={apply} aria-label="Filter the audit log">
          <label className="wf-field wf-admin-form__wide">
            Who (email, or part of it)
            <input
              className="wf-input"
              type="search"
              maxLength={254}
              value={draft.actor}
              onChange={(e) => set('actor')(e.target.value)}
            />
          </label>
          <label className="wf-field">
            Action
            <select
              className="wf-select"
              value={draft.action}
              onChange={(e) => set('action')(e.target.value)}
            >
              <option value="">Any action</option>
              {families(actions).map((family) => (
                <optgroup key={family} label={family}>
                  <option value={family}>every {family}.*</option>
                  {actions
                    .filter((a) => a.startsWith(`${family}.`))
                    .map((action) => (
                      <option key={action} value={action}>
                        {action}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label className="wf-field">
            From
            <input
              className="wf-input"
              type="datetime-local"
              value={draft.from}
              onChange={(e) => set('from')(e.target.value)}
            />
          </label>
          <label className="wf-field">
            Until
            <input
              className="wf-input"
              type="datetime-local"
              value={draft.to}
              onChange={(e) => set('to')(e.target.value)}
            />
          </label>
          <button type="submit" className="wf-button wf-button--primary">
            Apply
          </button>
          <button
            type="button"
            className="wf-button wf-button--ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              show(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </form>
        <ErrorNotice error={error ?? known.error} />
        <AuditTable entries={entries} loading={loading} />
        <div className="wf-admin-pager">
          <span className="wf-admin-muted">
            {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown
            {cursor ? '' : ', no older ones'}
          </span>
          <button type="button" className="wf-button" disabled={!cursor || loading} onClick={older}>
            Show older
          </button>
        </div>
      </main>
    </AdminShell>
  );
}
