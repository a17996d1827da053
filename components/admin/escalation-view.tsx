'use client';
/**
 * `/admin/escalation`: who is told about alerts, per site and severity (the
 * default policy covers every site without its own), the webhooks and their
 * deliveries. Saving is audited on the server.
 */
import { useState } from 'react';
import type { PolicyDto, Recipient, WebhookDeliveryDto, WebhookDto } from '@/contract/escalation';
import { sendJson } from './admin-api';
import { AdminShell } from './admin-shell';
import { ErrorNotice } from './error-notice';
import { PolicyEditor } from './policy-editor';
import { useJson } from './use-json';
import { WebhookPanel } from './webhook-panel';

interface EscalationData {
  policies: PolicyDto[];
  webhooks: WebhookDto[];
  deliveries: WebhookDeliveryDto[];
  sites: { id: string; name: string }[];
  users: { id: string; name: string; email: string }[];
}

function describeRecipient(r: Recipient, data: EscalationData): string {
  switch (r.kind) {
    case 'site_supervisors':
      return 'site supervisors';
    case 'admins':
      return 'admins';
    case 'email':
      return r.address;
    case 'user':
      return data.users.find((u) => u.id === r.userId)?.name ?? 'a removed user';
    case 'webhook':
      return `webhook ${data.webhooks.find((w) => w.id === r.webhookId)?.name ?? '(deleted)'}`;
  }
}

export function EscalationView() {
  const resource = useJson<EscalationData>('/api/admin/escalation');
  const [editing, setEditing] = useState<PolicyDto | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const data = resource.data;
  const siteName = (id: string | null) =>
    id ? (data?.sites.find((s) => s.id === id)?.name ?? id) : 'Default (all sites)';

  const remove = async (policy: PolicyDto) => {
    if (!window.confirm(`Delete the ${policy.severity} policy of ${siteName(policy.siteId)}?`))
      return;
    setError(null);
    try {
      await sendJson(`/api/admin/escalation/policies/${policy.id}`, undefined, 'DELETE');
      resource.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <AdminShell>
      <main className="wf-admin-main wf-admin-page">
        <h1 className="wf-admin-page__title">Escalation</h1>
        <ErrorNotice error={error ?? resource.error} />
        {notice && (
          <p className="wf-admin-notice" role="status">
            {notice}
          </p>
        )}
        {!data && !resource.error && <p className="wf-admin-muted">Loading…</p>}
        {data && (
          <>
            <section className="wf-admin-section" aria-label="Policies">
              <h2 className="wf-admin-section__title">Policies</h2>
              <p className="wf-admin-hint">
                Steps run until someone acknowledges the alert. A site&apos;s own policy replaces
                the default for its severity; a disabled one means no escalation there.
              </p>
              <div className="wf-admin-table-wrap">
                <table className="wf-admin-table" data-testid="policy-table">
                  <thead>
                    <tr>
                      <th scope="col">Site</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Steps</th>
                      <th scope="col">Changed</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.policies.map((p) => (
                      <tr key={p.id} data-policy={`${p.siteId ?? 'default'}-${p.severity}`}>
                        <td>{siteName(p.siteId)}</td>
                        <td>
                          {p.severity}
                          {!p.enabled && <span className="wf-admin-muted"> (disabled)</span>}
                        </td>
                        <td>
                          <ol className="wf-policy-summary">
                            {p.steps.map((s, i) => (
                              <li key={i}>
                                at {s.afterSeconds} s:{' '}
                                {s.recipients.map((r) => describeRecipient(r, data)).join(', ')}
                                {s.repeatEverySeconds
                                  ? `; every ${s.repeatEverySeconds} s, ${s.repeatTimes}×`
                                  : ''}
                              </li>
                            ))}
                          </ol>
                        </td>
                        <td className="wf-admin-muted">
                          {new Date(p.updatedAt).toLocaleString()}
                          {p.updatedBy ? ` · ${p.updatedBy}` : ''}
                        </td>
                        <td className="wf-admin-actions wf-admin-actions--row">
                          <button type="button" className="wf-button" onClick={() => setEditing(p)}>
                            Edit
                          </button>
                          <button
                            type="button"
                            className="wf-button wf-admin-button--danger"
                            onClick={() => void remove(p)}
                          >
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {!editing && (
                <button type="button" className="wf-button" onClick={() => setEditing('new')}>
                  New policy
                </button>
              )}
              {editing && (
                <PolicyEditor
                  key={editing === 'new' ? 'new' : editing.id}
                  policy={editing === 'new' ? null : editing}
                  sites={data.sites}
                  webhooks={data.webhooks}
                  onSaved={(p) => {
                    setEditing(null);
                    setNotice(`Saved the ${p.severity} policy of ${siteName(p.siteId)}.`);
                    resource.reload();
                  }}
                  onCancel={() => setEditing(null)}
                />
              )}
            </section>
            <WebhookPanel
              webhooks={data.webhooks}
              deliveries={data.deliveries}
              onChanged={resource.reload}
            />
          </>
        )}
      </main>
    </AdminShell>
  );
}
