/**
 * Client-side alerts keyed by id: the snapshot's open alerts, then every
 * change pushed live. Resolved alerts stay visible for a while (so a
 * supervisor sees that a colleague closed one), within a fixed bound.
 */
import type { AlertDto, AlertType } from '@/contract/alerts';

/** Alert types that stay pinned at the top of the feed until acknowledged. */
export const PINNED_TYPES: ReadonlySet<AlertType> = new Set<AlertType>([
  'sos',
  'man_down',
  'panic',
]);
/** Resolved alerts kept on screen, newest first; older ones are dropped. */
const MAX_RESOLVED = 50;

type Listener = () => void;

export interface AlertStore {
  /** Every alert held, newest raised first; a new array after each change. */
  getAlerts(): readonly AlertDto[];
  getVersion(): number;
  /** Guards with an unresolved SOS-type alert: the map shows them as SOS. */
  getSosGuardIds(): ReadonlySet<string>;
  subscribe(listener: Listener): () => void;
  applySnapshot(openAlerts: readonly AlertDto[]): void;
  applyAlert(alert: AlertDto): void;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** Creates an empty alert store. */
export function createAlertStore(): AlertStore {
  const byId = new Map<string, AlertDto>();
  const listeners = new Set<Listener>();
  let sorted: readonly AlertDto[] = [];
  let sosGuards: ReadonlySet<string> = EMPTY_SET;
  let version = 0;

  function publish() {
    const all = [...byId.values()].sort(
      (a, b) => b.raisedAt - a.raisedAt || b.id.localeCompare(a.id),
    );
    // Bound the resolved ones: the feed is for what needs attention.
    const resolved = all.filter((alert) => alert.status === 'resolved');
    for (const old of resolved.slice(MAX_RESOLVED)) byId.delete(old.id);
    sorted = all.filter((alert) => byId.has(alert.id));
    const sos = new Set<string>();
    for (const alert of sorted) {
      if (alert.guardId && alert.status !== 'resolved' && PINNED_TYPES.has(alert.type)) {
        sos.add(alert.guardId);
      }
    }
    // Keep the same set object when nothing changed, so markers do not re-render.
    if (sos.size !== sosGuards.size || [...sos].some((id) => !sosGuards.has(id))) sosGuards = sos;
    version += 1;
    listeners.forEach((listener) => listener());
  }

  return {
    getAlerts: () => sorted,
    getVersion: () => version,
    getSosGuardIds: () => sosGuards,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    applySnapshot(openAlerts) {
      // The snapshot is the truth for unresolved alerts; resolved ones we saw stay as history.
      for (const [id, alert] of byId) if (alert.status !== 'resolved') byId.delete(id);
      for (const alert of openAlerts) byId.set(alert.id, alert);
      publish();
    },
    applyAlert(alert) {
      const current = byId.get(alert.id);
      // Events may race a snapshot: never step an alert back in its lifecycle.
      if (current && lifecycleRank(current) > lifecycleRank(alert)) return;
      byId.set(alert.id, alert);
      publish();
    },
  };
}

const RANKS = { open: 0, acknowledged: 1, resolved: 2 } as const;
/** How far along open -> acknowledged -> resolved the alert is: an alert never steps back. */
export function lifecycleRank(alert: AlertDto): number {
  return RANKS[alert.status];
}

/** Whether the alert sits pinned at the top of the feed (SOS-type, not yet acknowledged). */
export function isPinned(alert: AlertDto): boolean {
  return alert.status === 'open' && PINNED_TYPES.has(alert.type);
}
