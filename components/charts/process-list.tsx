'use client';
/**
 * Every process of the deployment by role, as the web node last heard of it:
 * live or gone (its reports stopped), the parts it reports down, and its
 * event-loop lag. In a split deployment this is where a dead ingest shows.
 */
import type { ProcessHealthDto } from '@/contract/charts';

const ROLE_LABELS: Record<string, string> = { web: 'Web', ingest: 'Ingest', worker: 'Worker' };

/** "Ingest + worker" for a process running those roles. */
export function rolesLabel(roles: readonly string[]): string {
  const words = roles.map((role) => ROLE_LABELS[role] ?? role);
  return words
    .join(' + ')
    .replace(/ \+ ([A-Z])/g, (_, first: string) => ` + ${first.toLowerCase()}`);
}

function stateOf(process: ProcessHealthDto): 'gone' | 'down' | 'ok' {
  if (process.state === 'gone') return 'gone';
  return process.down.length > 0 ? 'down' : 'ok';
}

const STATE_WORDS = { ok: 'Live', down: 'Degraded', gone: 'Gone' } as const;

export function ProcessList({ processes }: { processes: readonly ProcessHealthDto[] }) {
  if (processes.length === 0) return null;
  return (
    <section className="wf-processes" aria-labelledby="wf-processes-title">
      <h3 id="wf-processes-title" className="wf-chart__title">
        Processes <span className="wf-chart__unit">by role, as last reported</span>
      </h3>
      <ul className="wf-processes__list">
        {processes.map((process) => {
          const state = stateOf(process);
          return (
            <li
              key={process.id}
              className={`wf-process wf-process--${state}`}
              data-process-id={process.id}
              data-state={process.state}
            >
              <span className="wf-status-dot" aria-hidden="true" />
              <span className="wf-process__roles">{rolesLabel(process.roles)}</span>
              <span className="wf-process__where" title={process.id}>
                {process.host}:{process.pid}
              </span>
              <span className="wf-process__lag" title="p99 event-loop delay">
                lag {Math.round(process.eventLoopLagMs)} ms
              </span>
              <strong className="wf-process__state">{STATE_WORDS[state]}</strong>
              {state === 'down' && (
                <span className="wf-process__down">down: {process.down.join(', ')}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
