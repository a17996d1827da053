/**
 * Field components in the browser, keyed by id: the list from GET
 * /api/components (on every (re)connection) plus live SERVER_EVENTS.componentHealth
 * events, each adding to the component's bounded history.
 */
import { COMPONENT_DEFAULT_INTERVAL_MS, COMPONENT_HISTORY_LENGTH } from '@/contract/thresholds';
import type { ComponentHealthDto, FieldComponentDto } from '@/contract/health';

type Listener = () => void;

export interface ComponentStore {
  /** Sorted by id; a new array after every change. */
  getAll(): readonly FieldComponentDto[];
  subscribe(listener: Listener): () => void;
  applyList(list: readonly FieldComponentDto[]): void;
  applyHealth(health: ComponentHealthDto): void;
}

/** Creates an empty component store. */
export function createComponentStore(): ComponentStore {
  const byId = new Map<string, FieldComponentDto>();
  let all: readonly FieldComponentDto[] = [];
  const listeners = new Set<Listener>();
  const publish = () => {
    all = [...byId.values()].sort((a, b) => a.component.localeCompare(b.component));
    listeners.forEach((listener) => listener());
  };
  /** Adds a report newer than the component's latest; false when it is not newer. */
  const merge = (health: ComponentHealthDto): boolean => {
    const current = byId.get(health.component);
    if (current && current.reportedAt >= health.reportedAt) return false;
    const report = { status: health.status, detail: health.detail, reportedAt: health.reportedAt };
    byId.set(health.component, {
      component: health.component,
      siteId: health.siteId,
      status: health.status,
      detail: health.detail,
      metrics: health.metrics,
      reportedAt: health.reportedAt,
      // Learnt from the history by the server; a component first heard live has the default.
      expectedIntervalMs: current?.expectedIntervalMs ?? COMPONENT_DEFAULT_INTERVAL_MS,
      history: [report, ...(current?.history ?? [])].slice(0, COMPONENT_HISTORY_LENGTH),
    });
    return true;
  };
  return {
    getAll: () => all,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    applyList(list) {
      // The server's list is the whole truth for this principal's sites...
      const live = [...byId.values()];
      byId.clear();
      for (const component of list) byId.set(component.component, component);
      // ...except live reports newer than it (they raced the request).
      for (const component of live) if (byId.has(component.component)) merge(component);
      publish();
    },
    applyHealth(health) {
      if (merge(health)) publish();
    },
  };
}

/** Loads the field components of the caller's sites; errors are the caller's to handle. */
export async function fetchFieldComponents(signal?: AbortSignal): Promise<FieldComponentDto[]> {
  const response = await fetch('/api/components', { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`components: HTTP ${response.status}`);
  return ((await response.json()) as { components: FieldComponentDto[] }).components;
}
