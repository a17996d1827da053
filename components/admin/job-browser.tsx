'use client';
/**
 * Jobs of one queue in one state, a page at a time from the server (so a
 * queue of 100,000 jobs loads like one of 10). The page re-reads when the
 * pushed count of what it shows changes, never on a timer of its own.
 */
import { useState } from 'react';
import { JOB_STATES, type JobPageDto, type JobState, type QueueStatsDto } from '@/contract/admin';
import { formatCount, formatTime } from './format';
import { JobDetail } from './job-detail';
import type { AdminActions } from './use-admin-action';
import { useJson } from './use-json';

const PAGE_SIZE = 25;

export interface BrowseTarget {
  queue: string;
  state: JobState;
}

interface JobBrowserProps {
  queues: QueueStatsDto[];
  target: BrowseTarget;
  onTarget(target: BrowseTarget): void;
  actions: AdminActions;
  /** Bumped after each action so the page re-reads at once. */
  actionCount: number;
}

/** Queue picker, state tabs, the page of jobs and the selected job. */
export function JobBrowser({ queues, target, onTarget, actions, actionCount }: JobBrowserProps) {
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const counts = queues.find((q) => q.name === target.queue)?.counts;
  const count = counts?.[target.state] ?? 0;
  // Any pushed change of this queue's counts may be the selected job moving: re-read it then.
  const detailVersion = `${JSON.stringify(counts)}:${actionCount}`;
  const query = new URLSearchParams({
    state: target.state,
    page: String(page),
    pageSize: String(PAGE_SIZE),
  });
  const { data, error } = useJson<JobPageDto>(
    `/api/admin/queues/${target.queue}/jobs?${query}`,
    `${count}:${actionCount}`,
  );

  const pages = Math.max(1, Math.ceil((data?.total ?? 0) / PAGE_SIZE));
  const choose = (next: BrowseTarget) => {
    setPage(0);
    setSelected(null);
    onTarget(next);
  };

  return (
    <div className="wf-admin-browser">
      <div className="wf-admin-toolbar">
        <label className="wf-field wf-field--inline">
          Queue
          <select
            className="wf-select"
            value={target.queue}
            onChange={(e) => choose({ ...target, queue: e.target.value })}
          >
            {queues.map((q) => (
              <option key={q.name} value={q.name}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <div className="wf-admin-states" role="tablist" aria-label="Job state">
          {JOB_STATES.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              className="wf-admin-state"
              aria-selected={s === target.state}
              onClick={() => choose({ ...target, state: s })}
            >
              {s}
              <span className="wf-badge">{formatCount(counts?.[s] ?? 0)}</span>
            </button>
          ))}
        </div>
      </div>
      {error && <p className="wf-admin-error">{error}</p>}
      <div className="wf-admin-browser__body">
        <div className="wf-admin-table-wrap">
          <table className="wf-admin-table" data-testid="job-table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Task</th>
                <th scope="col" className="wf-num">
                  Attempts
                </th>
                <th scope="col">Created</th>
                <th scope="col">Finished</th>
                <th scope="col">Error / payload</th>
              </tr>
            </thead>
            <tbody>
              {data?.jobs.length === 0 && (
                <tr>
                  <td colSpan={6} className="wf-admin-muted">
                    No {target.state} jobs in {target.queue}.
                  </td>
                </tr>
              )}
              {data?.jobs.map((job) => (
                <tr
                  key={job.id}
                  data-job={job.id}
                  aria-selected={job.id === selected}
                  className="wf-admin-row"
                  onClick={() => setSelected(job.id)}
                >
                  <td className="wf-admin-nowrap">
                    <button
                      type="button"
                      className="wf-link wf-admin-code"
                      onClick={() => setSelected(job.id)}
                    >
                      {job.id.length > 14 ? `${job.id.slice(0, 12)}…` : job.id}
                    </button>
                  </td>
                  <td>{job.name}</td>
                  <td className="wf-num">
                    {job.attemptsMade}/{job.attempts}
                  </td>
                  <td>{formatTime(job.timestamp)}</td>
                  <td>{formatTime(job.finishedOn)}</td>
                  <td className="wf-admin-clip">
                    {job.failedReason ? (
                      <span className="wf-admin-bad">{job.failedReason}</span>
                    ) : (
                      <code className="wf-admin-muted">{job.dataPreview}</code>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="wf-admin-pager">
            <button
              type="button"
              className="wf-button"
              disabled={page === 0}
              onClick={() => setPage(page - 1)}
            >
              Previous
            </button>
            <span className="wf-admin-muted">
              Page {page + 1} of {formatCount(pages)} · {formatCount(data?.total ?? 0)} jobs
            </span>
            <button
              type="button"
              className="wf-button"
              disabled={page + 1 >= pages}
              onClick={() => setPage(page + 1)}
            >
              Next
            </button>
          </div>
        </div>
        {selected && (
          <JobDetail
            queue={target.queue}
            jobId={selected}
            version={detailVersion}
            actions={actions}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </div>
  );
}
