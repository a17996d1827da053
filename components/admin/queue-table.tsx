'use client';
/** Every queue: counts per state, throughput, workers, and the queue actions. */
import { JOB_STATES, type JobState, type QueueStatsDto } from '@/contract/admin';
import { sendJson } from './admin-api';
import { formatCount } from './format';
import type { AdminActions } from './use-admin-action';

const CLEAN_AGES = [
  { label: '1 hour', ms: 3600_000 },
  { label: '1 day', ms: 24 * 3600_000 },
  { label: '0 (all)', ms: 0 },
];

interface QueueTableProps {
  queues: QueueStatsDto[];
  actions: AdminActions;
  /** Opens the job browser on a queue and state. */
  onBrowse(queue: string, state: JobState): void;
}

const post = (queue: string, body: unknown) => sendJson(`/api/admin/queues/${queue}`, body);

/** The queue table. */
export function QueueTable({ queues, actions, onBrowse }: QueueTableProps) {
  const { busy } = actions;
  return (
    <div className="wf-admin-table-wrap">
      <table className="wf-admin-table" data-testid="queue-table">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            {JOB_STATES.map((s) => (
              <th key={s} scope="col" className="wf-num">
                {s}
              </th>
            ))}
            <th
              scope="col"
              className="wf-num"
              title="Completed per minute, averaged over the last 5 minutes"
            >
              Jobs/min
            </th>
            <th scope="col">Workers</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.name} data-queue={q.name} data-paused={q.paused}>
              <th scope="row">
                {q.name}
                {q.paused && <span className="wf-admin-tag wf-admin-tag--warn">paused</span>}
              </th>
              {JOB_STATES.map((s) => (
                <td key={s} className="wf-num" data-count={s}>
                  <button
                    type="button"
                    className={`wf-admin-count${s === 'failed' && q.counts[s] > 0 ? ' wf-admin-bad' : ''}`}
                    onClick={() => onBrowse(q.name, s)}
                    title={`Browse ${s} jobs of ${q.name}`}
                  >
                    {formatCount(q.counts[s])}
                  </button>
                </td>
              ))}
              <td className="wf-num">{q.throughputPerMin}</td>
              <td>
                {q.workers.length === 0 ? (
                  <span className="wf-admin-bad">none</span>
                ) : (
                  <ul className="wf-admin-workers">
                    {q.workers.map((w, i) => (
                      <li key={i}>
                        {w.host}:{w.pid ?? '?'}{' '}
                        <span className="wf-admin-muted">×{w.concurrency ?? '?'}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <div className="wf-admin-actions">
                  {q.paused ? (
                    <button
                      type="button"
                      className="wf-button"
                      disabled={busy}
                      onClick={() =>
                        actions.run(() => post(q.name, { action: 'resume' }).then(() => undefined))
                      }
                    >
                      Resume
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="wf-button"
                      disabled={busy}
                      onClick={() =>
                        actions.run(() => post(q.name, { action: 'pause' }).then(() => undefined))
                      }
                    >
                      Pause
                    </button>
                  )}
                  <button
                    type="button"
                    className="wf-button"
                    disabled={busy || q.counts.failed === 0}
                    onClick={() =>
                      actions.confirm({
                        title: `Retry every failed job of ${q.name}?`,
                        body: `${formatCount(q.counts.failed)} failed jobs go back to the queue and run again.`,
                        confirmLabel: 'Retry all failed',
                        run: () =>
                          post(q.name, { action: 'retry_failed', confirm: true }).then(
                            () => undefined,
                          ),
                      })
                    }
                  >
                    Retry failed
                  </button>
                  <select
                    className="wf-select"
                    aria-label={`Clean old jobs of ${q.name}`}
                    value=""
                    disabled={busy}
                    onChange={(event) => {
                      const [state, ms] = event.target.value.split(':') as [
                        'completed' | 'failed',
                        string,
                      ];
                      const age = CLEAN_AGES.find((a) => String(a.ms) === ms)!;
                      actions.confirm({
                        title: `Delete ${state} jobs of ${q.name}?`,
                        body: `Every ${state} job that finished more than ${age.label} ago is deleted for good.`,
                        confirmLabel: 'Delete',
                        run: () =>
                          post(q.name, {
                            action: 'clean',
                            state,
                            olderThanMs: age.ms,
                            confirm: true,
                          }).then(() => undefined),
                      });
                    }}
                  >
                    <option value="">Clean…</option>
                    {(['completed', 'failed'] as const).flatMap((state) =>
                      CLEAN_AGES.map((age) => (
                        <option key={`${state}:${age.ms}`} value={`${state}:${age.ms}`}>
                          {state} older than {age.label}
                        </option>
                      )),
                    )}
                  </select>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
