'use client';
/** One job: payload and errors as plain text, attempts, timestamps, and its actions. */
import type { JobDetailDto } from '@/contract/admin';
import { sendJson } from './admin-api';
import { formatTime } from './format';
import type { AdminActions } from './use-admin-action';
import { useJson } from './use-json';

interface JobDetailProps {
  queue: string;
  jobId: string;
  /** Changes whenever the job may have changed (a push or an action): re-read then. */
  version: string;
  actions: AdminActions;
  onClose(): void;
}

/** The detail panel of the job browser. */
export function JobDetail({ queue, jobId, version, actions, onClose }: JobDetailProps) {
  const { data, error } = useJson<{ job: JobDetailDto }>(
    `/api/admin/queues/${queue}/jobs/${encodeURIComponent(jobId)}`,
    version,
  );
  const job = data?.job ?? null;

  const act = (action: string, extra: Record<string, unknown> = {}) =>
    sendJson(`/api/admin/queues/${queue}/jobs/${encodeURIComponent(jobId)}`, {
      action,
      ...extra,
    }).then(() => undefined);

  return (
    <section className="wf-admin-detail" aria-label={`Job ${jobId}`} data-testid="job-detail">
      <header className="wf-admin-detail__header">
        <h3 className="wf-admin-detail__title">
          Job <code className="wf-admin-code">{jobId}</code>
        </h3>
        <button type="button" className="wf-button wf-button--ghost" onClick={onClose}>
          Close
        </button>
      </header>
      {error && <p className="wf-admin-error">{error}</p>}
      {job && (
        <>
          <dl className="wf-admin-facts">
            <dt>Task</dt>
            <dd>{job.name}</dd>
            <dt>State</dt>
            <dd data-testid="job-state">{job.state}</dd>
            <dt>Attempts</dt>
            <dd>
              {job.attemptsMade} of {job.attempts}
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(job.timestamp)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(job.processedOn)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(job.finishedOn)}</dd>
          </dl>
          <div className="wf-admin-actions">
            {(job.state === 'failed' || job.state === 'completed') && (
              <button
                type="button"
                className="wf-button wf-button--primary"
                disabled={actions.busy}
                onClick={() => actions.run(() => act('retry'))}
              >
                Retry
              </button>
            )}
            {job.state === 'delayed' && (
              <button
                type="button"
                className="wf-button"
                disabled={actions.busy}
                onClick={() => actions.run(() => act('promote'))}
              >
                Run now
              </button>
            )}
            {job.state !== 'active' && (
              <button
                type="button"
                className="wf-button wf-admin-button--danger"
                disabled={actions.busy}
                onClick={() =>
                  actions.confirm({
                    title: `Remove job ${jobId}?`,
                    body: 'The job and its data are deleted; it will not run again.',
                    confirmLabel: 'Remove',
                    run: async () => {
                      await act('remove', { confirm: true });
                      onClose();
                    },
                  })
                }
              >
                Remove
              </button>
            )}
          </div>
          {job.failedReason && (
            <>
              <h4 className="wf-admin-subtitle">Error</h4>
              <pre className="wf-admin-pre wf-admin-pre--error" data-testid="job-error">
                {job.failedReason}
              </pre>
            </>
          )}
          {job.stacktrace.length > 0 && (
            <details className="wf-admin-stack">
              <summary>Stack traces ({job.stacktrace.length})</summary>
              {job.stacktrace.map((stack, i) => (
                <pre key={i} className="wf-admin-pre">
                  {stack}
                </pre>
              ))}
            </details>
          )}
          <h4 className="wf-admin-subtitle">Payload</h4>
          <pre className="wf-admin-pre" data-testid="job-payload">
            {job.data}
          </pre>
          {job.returnValue && (
            <>
              <h4 className="wf-admin-subtitle">Result</h4>
              <pre className="wf-admin-pre">{job.returnValue}</pre>
            </>
          )}
        </>
      )}
    </section>
  );
}
