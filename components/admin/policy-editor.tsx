'use client';
/**
 * Editing one escalation policy: its site (or the default) and severity, and
 * its ordered steps: when (seconds after the alert), who (site supervisors,
 * admins, webhooks, other addresses) and optional reminders. The server
 * validates again and its message is shown as it is.
 */
import { useState, type FormEvent } from 'react';
import { ALERT_SEVERITIES } from '@/contract/alerts';
import type { EscalationStep, PolicyDto, Recipient, WebhookDto } from '@/contract/escalation';
import { sendJson } from './admin-api';

interface StepDraft {
  afterSeconds: string;
  supervisors: boolean;
  admins: boolean;
  webhookIds: string[];
  emails: string;
  repeatEverySeconds: string;
  repeatTimes: string;
}

const toDraft = (step: EscalationStep): StepDraft => ({
  afterSeconds: String(step.afterSeconds),
  supervisors: step.recipients.some((r) => r.kind === 'site_supervisors'),
  admins: step.recipients.some((r) => r.kind === 'admins'),
  webhookIds: step.recipients.flatMap((r) => (r.kind === 'webhook' ? [r.webhookId] : [])),
  emails: step.recipients.flatMap((r) => (r.kind === 'email' ? [r.address] : [])).join(', '),
  repeatEverySeconds: step.repeatEverySeconds ? String(step.repeatEverySeconds) : '',
  repeatTimes: step.repeatTimes ? String(step.repeatTimes) : '',
});

/** Users picked by id are kept as they were (the editor does not list them). */
function fromDraft(draft: StepDraft, kept: Recipient[]): EscalationStep {
  const recipients: Recipient[] = [
    ...(draft.supervisors ? [{ kind: 'site_supervisors' } as const] : []),
    ...(draft.admins ? [{ kind: 'admins' } as const] : []),
    ...draft.webhookIds.map((webhookId) => ({ kind: 'webhook' as const, webhookId })),
    ...draft.emails
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((address) => ({ kind: 'email' as const, address })),
    ...kept,
  ];
  const step: EscalationStep = { afterSeconds: Number(draft.afterSeconds), recipients };
  if (draft.repeatEverySeconds || draft.repeatTimes) {
    step.repeatEverySeconds = Number(draft.repeatEverySeconds);
    step.repeatTimes = Number(draft.repeatTimes);
  }
  return step;
}

const EMPTY_STEP: StepDraft = {
  afterSeconds: '0',
  supervisors: true,
  admins: false,
  webhookIds: [],
  emails: '',
  repeatEverySeconds: '',
  repeatTimes: '',
};

interface PolicyEditorProps {
  policy: PolicyDto | null;
  sites: { id: string; name: string }[];
  webhooks: WebhookDto[];
  onSaved(policy: PolicyDto): void;
  onCancel(): void;
}

export function PolicyEditor({ policy, sites, webhooks, onSaved, onCancel }: PolicyEditorProps) {
  const [siteId, setSiteId] = useState(policy?.siteId ?? '');
  const [severity, setSeverity] = useState<PolicyDto['severity']>(policy?.severity ?? 'critical');
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [steps, setSteps] = useState<StepDraft[]>(
    policy ? policy.steps.map(toDraft) : [EMPTY_STEP],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kept = (index: number) =>
    policy?.steps[index]?.recipients.filter((r) => r.kind === 'user') ?? [];

  const change = (index: number, patch: Partial<StepDraft>) =>
    setSteps((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { policy: saved } = await sendJson<{ policy: PolicyDto }>(
        '/api/admin/escalation',
        {
          siteId: siteId || null,
          severity,
          enabled,
          steps: steps.map((s, i) => fromDraft(s, kept(i))),
        },
        'PUT',
      );
      onSaved(saved);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="wf-admin-form wf-policy-editor"
      onSubmit={submit}
      aria-label="Escalation policy"
    >
      <h3 className="wf-admin-form__title">{policy ? 'Edit policy' : 'New policy'}</h3>
      <div className="wf-policy-editor__scope">
        <label>
          Site
          <select
            className="wf-input"
            value={siteId}
            disabled={!!policy}
            onChange={(e) => setSiteId(e.target.value)}
          >
            <option value="">Default (every site without its own)</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select
            className="wf-input"
            value={severity}
            disabled={!!policy}
            onChange={(e) => setSeverity(e.target.value as PolicyDto['severity'])}
          >
            {ALERT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="wf-admin-check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </div>
      <ol className="wf-policy-editor__steps">
        {steps.map((step, index) => (
          <li key={index} className="wf-policy-step" data-step={index}>
            <div className="wf-policy-step__row">
              <strong>Step {index + 1}</strong>
              <label>
                at
                <input
                  className="wf-input wf-input--narrow"
                  type="number"
                  min={0}
                  required
                  name={`step-${index}-after`}
                  value={step.afterSeconds}
                  onChange={(e) => change(index, { afterSeconds: e.target.value })}
                />
                s
              </label>
              <label>
                remind every
                <input
                  className="wf-input wf-input--narrow"
                  type="number"
                  min={30}
                  name={`step-${index}-every`}
                  value={step.repeatEverySeconds}
                  onChange={(e) => change(index, { repeatEverySeconds: e.target.value })}
                />
                s,
              </label>
              <label>
                <input
                  className="wf-input wf-input--narrow"
                  type="number"
                  min={1}
                  name={`step-${index}-times`}
                  value={step.repeatTimes}
                  onChange={(e) => change(index, { repeatTimes: e.target.value })}
                />
                times
              </label>
              {steps.length > 1 && (
                <button
                  type="button"
                  className="wf-button"
                  onClick={() => setSteps((all) => all.filter((_, i) => i !== index))}
                >
                  Remove step
                </button>
              )}
            </div>
            <div className="wf-policy-step__row">
              <label className="wf-admin-check">
                <input
                  type="checkbox"
                  checked={step.supervisors}
                  onChange={(e) => change(index, { supervisors: e.target.checked })}
                />
                Site supervisors
              </label>
              <label className="wf-admin-check">
                <input
                  type="checkbox"
                  checked={step.admins}
                  onChange={(e) => change(index, { admins: e.target.checked })}
                />
                Admins
              </label>
              {webhooks.map((w) => (
                <label key={w.id} className="wf-admin-check">
                  <input
                    type="checkbox"
                    checked={step.webhookIds.includes(w.id)}
                    onChange={(e) =>
                      change(index, {
                        webhookIds: e.target.checked
                          ? [...step.webhookIds, w.id]
                          : step.webhookIds.filter((id) => id !== w.id),
                      })
                    }
                  />
                  Webhook {w.name}
                </label>
              ))}
              <label className="wf-policy-step__emails">
                E-mail addresses
                <input
                  className="wf-input"
                  name={`step-${index}-emails`}
                  placeholder="lead@example.com, ops@example.com"
                  value={step.emails}
                  onChange={(e) => change(index, { emails: e.target.value })}
                />
              </label>
            </div>
          </li>
        ))}
      </ol>
      <div className="wf-admin-actions wf-admin-actions--row">
        <button
          type="button"
          className="wf-button"
          onClick={() =>
            setSteps((all) => [
              ...all,
              {
                ...EMPTY_STEP,
                supervisors: false,
                afterSeconds: String(Number(all[all.length - 1]?.afterSeconds ?? 0) + 60),
              },
            ])
          }
        >
          Add step
        </button>
        <button type="submit" className="wf-button wf-button--primary" disabled={busy}>
          Save policy
        </button>
        <button type="button" className="wf-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="wf-admin-form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
