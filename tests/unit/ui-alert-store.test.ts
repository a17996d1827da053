import { describe, expect, it } from 'vitest';
import { visibleAlerts, DEFAULT_FILTER } from '../../components/alerts/alert-filters';
import { historyQuery, mergeAlerts, needsHistory } from '../../components/alerts/alert-history';
import { createAlertStore } from '../../components/alerts/alert-store';
import type { AlertDto } from '../../contract/alerts';
import { openAlertDto } from '../helpers/alert-dto';

let n = 0;
function alert(extra: Partial<AlertDto> = {}): AlertDto {
  n += 1;
  return openAlertDto({
    id: `a${n}`,
    type: 'intrusion',
    severity: 'high',
    siteId: 's1',
    raisedAt: Date.UTC(2026, 10, 28, 10, 0, n),
    receivedAt: Date.now(),
    ...extra,
  });
}

describe('alert store', () => {
  it('keeps alerts newest first and applies changes by id', () => {
    const store = createAlertStore();
    const first = alert();
    const second = alert();
    store.applySnapshot([first]);
    store.applyAlert(second);
    expect(store.getAlerts().map((a) => a.id)).toEqual([second.id, first.id]);
    store.applyAlert({ ...first, status: 'acknowledged' });
    expect(store.getAlerts().find((a) => a.id === first.id)?.status).toBe('acknowledged');
  });

  it('never steps an alert back in its lifecycle when a stale event arrives late', () => {
    const store = createAlertStore();
    const a = alert();
    store.applyAlert({ ...a, status: 'resolved' });
    store.applyAlert(a);
    expect(store.getAlerts()[0]?.status).toBe('resolved');
  });

  it('marks guards with an unresolved SOS and keeps the set stable when nothing changed', () => {
    const store = createAlertStore();
    const sos = alert({ type: 'sos', severity: 'critical', guardId: 'g1' });
    store.applyAlert(sos);
    const set = store.getSosGuardIds();
    expect([...set]).toEqual(['g1']);
    store.applyAlert(alert());
    expect(store.getSosGuardIds()).toBe(set);
    store.applyAlert({ ...sos, status: 'resolved' });
    expect(store.getSosGuardIds().size).toBe(0);
  });

  it('bounds the resolved alerts it keeps', () => {
    const store = createAlertStore();
    for (let i = 0; i < 200; i += 1) store.applyAlert(alert({ status: 'resolved' }));
    expect(store.getAlerts().length).toBeLessThanOrEqual(50);
  });
});

describe('alert feed filter', () => {
  it('pins unacknowledged SOS and man-down on top even when the filter would hide them', () => {
    const low = alert({ severity: 'low' });
    const sos = alert({ type: 'sos', severity: 'critical', siteId: 'other' });
    const filter = { ...DEFAULT_FILTER, siteId: 's1', severities: new Set(['low' as const]) };
    expect(visibleAlerts([low, sos], filter).map((a) => a.id)).toEqual([sos.id, low.id]);
  });

  it('filters by severity, site and state', () => {
    const open = alert({ severity: 'medium' });
    const resolved = alert({ severity: 'medium', status: 'resolved' });
    const elsewhere = alert({ severity: 'medium', siteId: 's2' });
    expect(visibleAlerts([open, resolved, elsewhere], { ...DEFAULT_FILTER, siteId: 's1' })).toEqual(
      [open],
    );
    expect(visibleAlerts([open, resolved], { ...DEFAULT_FILTER, state: 'resolved' })).toEqual([
      resolved,
    ]);
  });
});

describe('alert history in the feed', () => {
  const resolved = (a: AlertDto): AlertDto => ({
    ...a,
    status: 'resolved',
    resolvedAt: a.raisedAt,
    resolution: 'checked',
  });

  it('asks the server only for filters the live snapshot cannot answer', () => {
    expect(needsHistory(DEFAULT_FILTER)).toBe(false);
    expect(needsHistory({ ...DEFAULT_FILTER, state: 'open' })).toBe(false);
    expect(needsHistory({ ...DEFAULT_FILTER, state: 'resolved' })).toBe(true);
    expect(needsHistory({ ...DEFAULT_FILTER, state: 'all' })).toBe(true);
    const query = new URLSearchParams(
      historyQuery({
        severities: new Set(['low', 'critical']),
        siteId: 'site-harbour',
        state: 'resolved',
      }),
    );
    expect(Object.fromEntries(query)).toEqual({
      limit: '50',
      status: 'resolved',
      severity: 'critical,low',
      site: 'site-harbour',
    });
    expect(
      new URLSearchParams(historyQuery({ ...DEFAULT_FILTER, state: 'all' })).has('status'),
    ).toBe(false);
  });

  it('merges loaded pages with live alerts once per id, newest first', () => {
    const older = resolved(alert());
    const live = alert();
    const both = alert();
    const merged = mergeAlerts([live, both], [both, older]);
    expect(merged.map((a) => a.id)).toEqual([both.id, live.id, older.id]);
  });

  it('lets a live resolve move an alert that a page loaded while it was open', () => {
    const open = alert();
    const filter = { ...DEFAULT_FILTER, state: 'resolved' as const };
    expect(visibleAlerts(mergeAlerts([], [open]), filter)).toEqual([]);
    const shown = visibleAlerts(mergeAlerts([resolved(open)], [open]), filter);
    expect(shown.map((a) => [a.id, a.status])).toEqual([[open.id, 'resolved']]);
    // A page that is older than the live event never steps the alert back.
    const stale = visibleAlerts(mergeAlerts([open], [resolved(open)]), filter);
    expect(stale.map((a) => a.status)).toEqual(['resolved']);
  });
});
