'use client';
/**
 * `/admin/walls`: wall-display tokens. A new token is shown once, as a wall
 * URL to copy; the server keeps only its hash. Revoking asks first and drops
 * walls showing it at once.
 */
import { useCallback, useState, type FormEvent } from 'react';
import type { KioskTokenInfo } from '@/contract/users';
import { sendJson } from './admin-api';
import { AdminShell } from './admin-shell';
import { PendingConfirm } from './confirm-dialog';
import { ErrorNotice } from './error-notice';
import { formatTime } from './format';
import { SitePicker, siteNames, type SiteName } from './site-picker';
import { useAdminActions } from './use-admin-action';
import { useJson } from './use-json';
import { WallUrl } from './wall-url';

interface Created {
  name: string;
  url: string;
}

/** The wall tokens page. */
export function WallsView() {
  const tokens = useJson<{ tokens: KioskTokenInfo[] }>('/api/admin/kiosk-tokens');
  const sites = useJson<{ sites: SiteName[] }>('/api/admin/sites');
  const reload = tokens.reload;
  const actions = useAdminActions(useCallback(() => reload(), [reload]));
  const [name, setName] = useState('');
  const [allSites, setAllSites] = useState(false);
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const sitesList = sites.data?.sites ?? [];

  const create = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    sendJson<{ wallPath: string; kiosk: KioskTokenInfo }>('/api/admin/kiosk-tokens', {
      name,
      siteIds: allSites ? 'all' : siteIds,
    })
      .then(({ wallPath, kiosk }) => {
        setCreated({ name: kiosk.name, url: `${window.location.origin}${wallPath}` });
        setName('');
        setSiteIds([]);
        setAllSites(false);
        reload();
      })
      .catch((err: Error) => setFormError(err.message))
      .finally(() => setBusy(false));
  };

  const revoke = (token: KioskTokenInfo) =>
    actions.confirm({
      title: 'Revoke this wall token?',
      body: (
        <>
          Walls showing <strong className="wf-admin-dialog__subject">{token.name}</strong> go dark
          at once and the token cannot be used again.
        </>
      ),
      confirmLabel: 'Revoke token',
      run: async () => {
        await sendJson(`/api/admin/kiosk-tokens/${token.id}`, undefined, 'DELETE');
      },
    });

  return (
    <AdminShell>
      <main className="wf-admin-main wf-admin-page">
        <h1 className="wf-admin-page__title">Wall tokens</h1>
        <ErrorNotice
          error={actions.error ?? tokens.error ?? sites.error}
          onDismiss={actions.error ? actions.clearError : undefined}
        />
        {created && <WallUrl {...created} onDismiss={() => setCreated(null)} />}
        <form
          className="wf-admin-form wf-admin-form--grid"
          onSubmit={create}
          aria-label="New wall token"
        >
          <h2 className="wf-admin-form__title">New wall token</h2>
          <label className="wf-field">
            Wall name
            <input
              className="wf-input"
              required
              maxLength={80}
              placeholder="Control room, east wall"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="wf-admin-check">
            <input
              type="checkbox"
              checked={allSites}
              onChange={(e) => setAllSites(e.target.checked)}
            />
            Every site, including sites added later
          </label>
          <SitePicker
            legend="Sites"
            sites={sitesList}
            value={siteIds}
            onChange={setSiteIds}
            disabled={allSites}
          />
          <div className="wf-admin-form__end">
            <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
              Create token
            </button>
          </div>
          {formError && (
            <p className="wf-admin-error wf-admin-form__error" role="alert">
              {formError}
            </p>
          )}
        </form>
        <div className="wf-admin-table-wrap">
          <table className="wf-admin-table" data-testid="kiosk-table">
            <thead>
              <tr>
                <th scope="col">Wall</th>
                <th scope="col">Sites</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data?.tokens.length === 0 && (
                <tr>
                  <td colSpan={6} className="wf-admin-muted">
                    No wall tokens yet.
                  </td>
                </tr>
              )}
              {tokens.data?.tokens.map((token) => (
                <tr key={token.id} data-kiosk={token.id} data-revoked={!!token.revokedAt}>
                  <th scope="row" data-field="name">
                    {token.name}
                  </th>
                  <td className="wf-admin-clip">{siteNames(token.siteIds, sitesList)}</td>
                  <td className="wf-admin-nowrap">{formatTime(token.createdAt)}</td>
                  <td className="wf-admin-nowrap">
                    {token.lastUsedAt ? formatTime(token.lastUsedAt) : 'Never'}
                  </td>
                  <td data-field="status">
                    {token.revokedAt ? (
                      <span
                        className="wf-admin-tag wf-admin-tag--failed"
                        title={formatTime(token.revokedAt)}
                      >
                        Revoked
                      </span>
                    ) : (
                      <span className="wf-admin-tag wf-admin-tag--acknowledged">Active</span>
                    )}
                  </td>
                  <td>
                    {!token.revokedAt && (
                      <button
                        type="button"
                        className="wf-button wf-admin-button--danger"
                        disabled={actions.busy}
                        onClick={() => revoke(token)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </main>
      <PendingConfirm actions={actions} />
    </AdminShell>
  );
}
