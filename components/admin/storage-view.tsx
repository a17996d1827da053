'use client';
/**
 * `/admin/storage`: size and row estimate per table and day partition, the
 * oldest and newest data, the retention in force and the next scheduled drop.
 */
import { Fragment, useState } from 'react';
import type { StorageTableDto } from '@/contract/admin';
import { AdminShell } from './admin-shell';
import { LivePill } from './live-pill';
import { formatCount, formatTime } from './format';
import { useAdminStorage } from './use-admin-storage';

/** Bytes as "812 KiB" / "3.4 MiB" / "1.2 GiB". */
function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A row estimate; PostgreSQL has none for a table not yet analyzed (autovacuum does it as rows come). */
function RowEstimate({ n }: { n: number | null }) {
  return n === null ? <span title="not analyzed yet">—</span> : <>{formatCount(n)}</>;
}

function retentionOf(t: StorageTableDto): string {
  return t.retentionBy === 'partitions'
    ? `${t.retentionDays} days, whole day partitions`
    : `${t.retentionDays} days, finished rows in batches`;
}

/** The whole storage screen. */
export function StorageView() {
  const { storage, connected, error } = useAdminStorage();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <AdminShell status={<LivePill connected={connected} at={storage?.at ?? null} />}>
      <main className="wf-admin-main">
        {error && (
          <p className="wf-admin-error" role="alert">
            {error}
          </p>
        )}
        {!storage && !error && <p className="wf-admin-muted">Loading…</p>}
        {storage && (
          <section className="wf-admin-section" aria-labelledby="wf-admin-storage">
            <h2 id="wf-admin-storage" className="wf-admin-section__title">
              Storage{' '}
              <span className="wf-admin-muted">
                database {formatSize(storage.databaseBytes)} · next maintenance run{' '}
                {storage.nextMaintenanceAt
                  ? formatTime(storage.nextMaintenanceAt)
                  : 'not scheduled'}
              </span>
            </h2>
            <div className="wf-admin-table-wrap">
              <table className="wf-admin-table" data-testid="storage-table">
                <thead>
                  <tr>
                    <th scope="col">Table</th>
                    <th scope="col" className="wf-num">
                      Size
                    </th>
                    <th scope="col" className="wf-num">
                      Rows (estimate)
                    </th>
                    <th scope="col">Oldest</th>
                    <th scope="col">Newest</th>
                    <th scope="col">Retention</th>
                    <th scope="col">Next drop</th>
                  </tr>
                </thead>
                <tbody>
                  {storage.tables.map((t) => (
                    <Fragment key={t.table}>
                      <tr data-table={t.table}>
                        <th scope="row">
                          {t.partitions.length > 0 ? (
                            <button
                              type="button"
                              className="wf-link"
                              aria-expanded={open === t.table}
                              onClick={() => setOpen(open === t.table ? null : t.table)}
                            >
                              {t.table}
                            </button>
                          ) : (
                            t.table
                          )}
                          {t.partitions.length > 0 && (
                            <span className="wf-admin-muted">
                              {' '}
                              · {t.partitions.length} partitions
                            </span>
                          )}
                        </th>
                        <td className="wf-num">{formatSize(t.bytes)}</td>
                        <td className="wf-num">
                          <RowEstimate n={t.rowEstimate} />
                        </td>
                        <td>{formatTime(t.oldest)}</td>
                        <td>{formatTime(t.newest)}</td>
                        <td>{retentionOf(t)}</td>
                        <td data-next-drop>
                          {t.nextDrop
                            ? `${t.nextDrop.partition} at ${formatTime(t.nextDrop.dueAt)}`
                            : t.retentionBy === 'rows'
                              ? 'purged each run'
                              : '—'}
                        </td>
                      </tr>
                      {open === t.table &&
                        t.partitions.map((p) => (
                          <tr key={p.name} className="wf-admin-subrow" data-partition={p.name}>
                            <td>{p.name}</td>
                            <td className="wf-num">{formatSize(p.bytes)}</td>
                            <td className="wf-num">
                              <RowEstimate n={p.rowEstimate} />
                            </td>
                            <td colSpan={3}>{p.day ?? 'not a day partition (made by hand)'}</td>
                            <td>{p.dropDueAt ? `due ${formatTime(p.dropDueAt)}` : 'never'}</td>
                          </tr>
                        ))}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </main>
    </AdminShell>
  );
}
