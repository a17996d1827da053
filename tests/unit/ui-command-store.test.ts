/** The browser's command store: live states per guard, never moving backwards, and the delivery flag. */
import { describe, expect, it } from 'vitest';
import { createCommandStore } from '../../components/commands/command-store';
import type { CommandDto } from '../../contract/commands';

function command(
  id: string,
  status: CommandDto['status'],
  createdIso: string,
  targetId = 'guard-3',
): CommandDto {
  return {
    id,
    targetKind: 'guard',
    targetId,
    siteId: 'site-harbour',
    type: 'locate',
    payload: {},
    status,
    requestedBy: null,
    createdAt: Date.parse(createdIso),
    sentAt: null,
    acknowledgedAt: null,
    failedAt: null,
    error: null,
    publishAttempts: 0,
  };
}

describe('command store', () => {
  it("keeps one guard's commands newest first and applies pushed changes by id", () => {
    const store = createCommandStore();
    store.applyLoaded([command('a', 'acknowledged', '2026-11-28T10:00:00Z')], []);
    store.applyCommand(command('b', 'queued', '2026-11-28T10:01:00Z'));
    store.applyCommand(command('c', 'queued', '2026-11-28T10:02:00Z', 'guard-4'));
    store.applyCommand(command('b', 'sent', '2026-11-28T10:01:00Z'));
    expect(store.getForTarget('guard-3').map((c) => [c.id, c.status])).toEqual([
      ['b', 'sent'],
      ['a', 'acknowledged'],
    ]);
    expect(store.getForTarget('guard-4')).toHaveLength(1);
  });

  it('never lets a late, older view move a command backwards', () => {
    const store = createCommandStore();
    store.applyCommand(command('a', 'acknowledged', '2026-11-28T10:00:00Z'));
    store.applyLoaded([command('a', 'queued', '2026-11-28T10:00:00Z')], []);
    expect(store.getForTarget('guard-3')[0]!.status).toBe('acknowledged');
  });

  it('is delayed while any worker reports its breaker not closed', () => {
    const store = createCommandStore();
    const at = Date.parse('2026-11-28T10:00:00Z');
    store.applyLoaded([], [{ owner: 'w1', state: 'closed', since: at }]);
    expect(store.isDelayed()).toBe(false);
    store.applyDelivery({ owner: 'w2', state: 'open', since: at });
    expect(store.isDelayed()).toBe(true);
    store.applyDelivery({ owner: 'w2', state: 'closed', since: at });
    expect(store.isDelayed()).toBe(false);
  });

  it('returns the same array until that guard changes, so a panel does not re-render', () => {
    const store = createCommandStore();
    store.applyCommand(command('a', 'queued', '2026-11-28T10:00:00Z'));
    const before = store.getForTarget('guard-3');
    store.applyCommand(command('c', 'queued', '2026-11-28T10:02:00Z', 'guard-4'));
    expect(store.getForTarget('guard-3')).toBe(before);
  });
});
