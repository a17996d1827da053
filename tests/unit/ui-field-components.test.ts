/** Field components in the browser: the condition rules and the store's merge of list and live reports. */
import { describe, expect, it } from 'vitest';
import {
  componentCondition,
  countNeedingAttention,
} from '../../components/health/component-condition';
import { createComponentStore } from '../../components/health/component-store';
import type { FieldComponentDto } from '../../contract/health';

const at = (ms: number) => ms;
const T = Date.parse('2026-12-05T12:00:00Z');

function component(over: Partial<FieldComponentDto> = {}): FieldComponentDto {
  return {
    component: 'gw-1',
    siteId: 'site-a',
    status: 'ok',
    detail: null,
    metrics: null,
    reportedAt: at(T),
    expectedIntervalMs: 15_000,
    history: [{ status: 'ok', detail: null, reportedAt: at(T) }],
    ...over,
  };
}

describe('component condition', () => {
  it('is silent only past twice the usual interval, down whatever its age', () => {
    expect(componentCondition(component(), T + 30_000)).toBe('ok');
    expect(componentCondition(component(), T + 30_001)).toBe('silent');
    expect(componentCondition(component({ status: 'degraded' }), T + 1000)).toBe('degraded');
    expect(componentCondition(component({ status: 'down' }), T + 3_600_000)).toBe('down');
  });

  it('counts every component that is not ok', () => {
    const list = [
      component({ component: 'a' }),
      component({ component: 'b', status: 'degraded' }),
      component({ component: 'c', status: 'down' }),
      component({ component: 'd', reportedAt: at(T - 60_000) }),
    ];
    expect(countNeedingAttention(list, T)).toBe(3);
  });
});

describe('component store', () => {
  it('adds live reports to the history, ignores older ones, keeps the learnt interval', () => {
    const store = createComponentStore();
    store.applyList([component()]);
    const live = {
      ...component(),
      status: 'down' as const,
      detail: 'x',
      reportedAt: at(T + 15_000),
    };
    store.applyHealth(live);
    store.applyHealth({ ...live, status: 'ok', reportedAt: at(T - 1) });
    const [only] = store.getAll();
    expect(only).toMatchObject({ status: 'down', expectedIntervalMs: 15_000 });
    expect(only!.history.map((h) => h.status)).toEqual(['down', 'ok']);
  });

  it('keeps a live report newer than a list that raced it, and drops what the list no longer has', () => {
    const store = createComponentStore();
    store.applyHealth({ ...component({ component: 'gone' }) });
    store.applyHealth({ ...component(), status: 'down', reportedAt: at(T + 5000) });
    store.applyList([component()]);
    expect(store.getAll().map((c) => [c.component, c.status])).toEqual([['gw-1', 'down']]);
  });
});
