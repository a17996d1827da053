'use client';
/**
 * `/admin` (operations): the deployment's processes, queues and the route table, the job
 * browser (dead letters are its "failed" state), the MQTT quarantine, device commands and
 * every device. Live figures arrive pushed over Socket.IO to the admin room.
 */
import { useCallback, useState } from 'react';
import type { JobState } from '@/contract/admin';
import { ProcessList } from '@/components/charts/process-list';
import { AdminShell } from './admin-shell';
import { LivePill } from './live-pill';
import { BreakerStrip } from './breaker-strip';
import { CommandPanel } from './command-panel';
import { DevicesSection } from './devices-section';
import { PendingConfirm } from './confirm-dialog';
import { formatCount } from './format';
import { JobBrowser, type BrowseTarget } from './job-browser';
import { QuarantineTable } from './quarantine-table';
import { QueueTable } from './queue-table';
import { RouteTable } from './route-table';
import { useAdminActions } from './use-admin-action';
import { useAdminStats } from './use-admin-stats';

const TABS = [
  { id: 'queues', label: 'Queues & routes' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'quarantine', label: 'MQTT quarantine' },
  { id: 'commands', label: 'Device commands' },
  { id: 'devices', label: 'Devices' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The whole admin screen; the job browser opens on `firstQueue` (the route table's first queue). */
export function AdminView({ firstQueue }: { firstQueue: string }) {
  const { stats, connected, error, commandChanges, refresh } = useAdminStats();
  const [tab, setTab] = useState<Tab>('queues');
  const [target, setTarget] = useState<BrowseTarget>({ queue: firstQueue, state: 'failed' });
  const [actionCount, setActionCount] = useState(0);
  const onDone = useCallback(() => {
    setActionCount((n) => n + 1);
    refresh();
  }, [refresh]);
  const actions = useAdminActions(onDone);
  const deadLetters = stats?.queues.reduce((sum, q) => sum + q.counts.failed, 0) ?? 0;

  const browse = (queue: string, state: JobState) => {
    setTarget({ queue, state });
    setTab('jobs');
  };

  return (
    <AdminShell status={<LivePill connected={connected} at={stats?.at ?? null} />}>
      <main className="wf-admin-main">
        <div className="wf-tabs wf-admin-tabs" role="tablist" aria-label="Admin sections">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              className="wf-tab"
              aria-selected={tab === t.id}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {t.id === 'jobs' && deadLetters > 0 && (
                <span className="wf-badge wf-admin-badge--bad" title="Dead letters (failed jobs)">
                  {formatCount(deadLetters)}
                </span>
              )}
            </button>
          ))}
        </div>
        {(error || actions.error) && (
          <p className="wf-admin-error" role="alert">
            {actions.error ?? error}
            {actions.error && (
              <button type="button" className="wf-link" onClick={actions.clearError}>
                dismiss
              </button>
            )}
          </p>
        )}
        {!stats && !error && <p className="wf-admin-muted">Loading…</p>}
        {stats && tab === 'queues' && (
          <>
            {/* Its own titled section; empty until the charts merged the first reports. */}
            <div className="wf-admin-section">
              <ProcessList processes={stats.processes} />
            </div>
            <section className="wf-admin-section" aria-labelledby="wf-admin-breakers">
              <h2 id="wf-admin-breakers" className="wf-admin-section__title">
                Circuit breakers
              </h2>
              <BreakerStrip breakers={stats.breakers} />
            </section>
            <section className="wf-admin-section" aria-labelledby="wf-admin-queues">
              <h2 id="wf-admin-queues" className="wf-admin-section__title">
                Queues
              </h2>
              <QueueTable queues={stats.queues} actions={actions} onBrowse={browse} />
            </section>
            <section className="wf-admin-section" aria-labelledby="wf-admin-routes">
              <h2 id="wf-admin-routes" className="wf-admin-section__title">
                Task routes <span className="wf-admin-muted">server/queues/routes.ts</span>
              </h2>
              <RouteTable routes={stats.routes} />
            </section>
          </>
        )}
        {stats && tab === 'jobs' && (
          <section className="wf-admin-section" aria-label="Jobs">
            <JobBrowser
              queues={stats.queues}
              target={target}
              onTarget={setTarget}
              actions={actions}
              actionCount={actionCount}
            />
          </section>
        )}
        {tab === 'quarantine' && (
          <section className="wf-admin-section" aria-label="MQTT quarantine">
            <QuarantineTable version={String(actionCount)} />
          </section>
        )}
        {tab === 'devices' && (
          <section className="wf-admin-section" aria-label="Devices">
            <DevicesSection />
          </section>
        )}
        {tab === 'commands' && (
          <section className="wf-admin-section" aria-label="Device commands">
            <CommandPanel changes={commandChanges} />
          </section>
        )}
      </main>
      <PendingConfirm actions={actions} />
    </AdminShell>
  );
}
