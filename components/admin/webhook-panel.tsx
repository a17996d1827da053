'use client';
/**
 * Webhooks: the list (URL, enabled, last delivery), a form for new ones whose
 * signing secret is shown once, enable/disable and delete; then the latest
 * delivery attempts (status code, latency, error), newest first.
 */
import { useState, type FormEvent } from 'react';
import type { WebhookDeliveryDto, WebhookDto } from '@/contract/escalation';
import { sendJson } from './admin-api';

interface WebhookPanelProps {
  webhooks: WebhookDto[];
  deliveries: WebhookDeliveryDto[];
  onChanged(): void;
}

const when = (epochMs: number) => new Date(epochMs).toLocaleString();

export function WebhookPanel({ webhooks, deliveries, onChanged }: WebhookPanelProps) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body = await sendJson<{ webhook: WebhookDto; secret: string }>('/api/admin/webhooks', {
        name,
        url,
      });
      setSecret({ name: body.webhook.name, secret: body.secret });
      setName('');
      setUrl('');
    });
  };

  return (
    <section className="wf-admin-section" aria-label="Webhooks">
      <h2 className="wf-admin-section__title">Webhooks</h2>
      {secret && (
        <div className="wf-admin-once" role="status">
          <p className="wf-admin-once__title">
            Signing secret of {secret.name}: copy it now, it is not shown again.
          </p>
          <code className="wf-admin-once__url" data-testid="webhook-secret">
            {secret.secret}
          </code>
          <p className="wf-admin-hint">
            Check each request with <code>verifyWebhookSignature</code>{' '}
            (server/escalation/webhook-signature.ts): header <code>Watchfloor-Signature</code>.
          </p>
        </div>
      )}
      <form
        className="wf-admin-form wf-admin-form--grid"
        onSubmit={create}
        aria-label="New webhook"
      >
        <label>
          Name
          <input
            className="wf-input"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="wf-admin-form__wide">
          URL (http or https)
          <input
            className="wf-input"
            required
            type="url"
            placeholder="https://events.pagerduty.com/..."
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <div className="wf-admin-form__end">
          <button type="submit" className="wf-button wf-button--primary">
            Add webhook
          </button>
        </div>
      </form>
      {error && (
        <p className="wf-admin-form__error" role="alert">
          {error}
        </p>
      )}
      <div className="wf-admin-table-wrap">
        <table className="wf-admin-table" data-testid="webhook-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Last delivery</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.length === 0 && (
              <tr>
                <td colSpan={4} className="wf-admin-muted">
                  No webhooks yet.
                </td>
              </tr>
            )}
            {webhooks.map((w) => (
              <tr key={w.id} data-webhook={w.name}>
                <td>
                  {w.name}
                  {!w.enabled && <span className="wf-admin-muted"> (disabled)</span>}
                </td>
                <td className="wf-admin-clip">{w.url}</td>
                <td className={w.lastDelivery && !w.lastDelivery.ok ? 'wf-admin-bad' : undefined}>
                  {w.lastDelivery
                    ? `${w.lastDelivery.ok ? 'ok' : 'failed'} ${w.lastDelivery.statusCode ?? ''} · ${when(w.lastDelivery.at)}`
                    : '—'}
                </td>
                <td className="wf-admin-actions wf-admin-actions--row">
                  <button
                    type="button"
                    className="wf-button"
                    onClick={() =>
                      void run(() =>
                        sendJson(`/api/admin/webhooks/${w.id}`, { enabled: !w.enabled }, 'PATCH'),
                      )
                    }
                  >
                    {w.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <button
                    type="button"
                    className="wf-button wf-admin-button--danger"
                    onClick={() => {
                      if (
                        window.confirm(`Delete webhook ${w.name}? Its delivery log goes with it.`)
                      )
                        void run(() =>
                          sendJson(`/api/admin/webhooks/${w.id}`, undefined, 'DELETE'),
                        );
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="wf-admin-form__title">Latest deliveries</h3>
      <div className="wf-admin-table-wrap">
        <table className="wf-admin-table" data-testid="delivery-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Webhook</th>
              <th scope="col">Alert</th>
              <th scope="col" className="wf-num">
                Attempt
              </th>
              <th scope="col">Result</th>
              <th scope="col" className="wf-num">
                Latency
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.length === 0 && (
              <tr>
                <td colSpan={6} className="wf-admin-muted">
                  Nothing delivered yet.
                </td>
              </tr>
            )}
            {deliveries.map((d) => (
              <tr key={d.id} data-ok={d.ok}>
                <td className="wf-admin-nowrap">{when(d.at)}</td>
                <td>{d.webhookName}</td>
                <td>
                  {d.alertId ? <a href={`/alerts/${d.alertId}`}>{d.alertId.slice(0, 8)}</a> : '—'}
                </td>
                <td className="wf-num">{d.attempt}</td>
                <td className={d.ok ? undefined : 'wf-admin-bad'}>
                  {d.ok ? 'ok' : 'failed'} {d.statusCode ?? ''}{' '}
                  {d.error && !d.ok ? `· ${d.error}` : ''}
                </td>
                <td className="wf-num">{d.latencyMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
