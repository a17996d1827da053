import { describe, expect, it } from 'vitest';
import { groupBy, newerThan, ownersOfInsertedKeys } from '../../server/db/batch-results';

describe('batch results', () => {
  it('groups items by key, keeping their order', () => {
    const groups = groupBy(
      [
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
        { id: 'a', n: 3 },
      ],
      (x) => x.id,
    );
    expect(groups.get('a')?.map((x) => x.n)).toEqual([1, 3]);
    expect(groups.get('b')?.map((x) => x.n)).toEqual([2]);
    expect(groups.has('c')).toBe(false);
  });

  it('gives an inserted key to its first occurrence only', () => {
    const first = { messageKey: 'k1' };
    const repeat = { messageKey: 'k1' };
    const owners = ownersOfInsertedKeys([first, repeat, { messageKey: 'k2' }], new Set(['k1']));
    expect([...owners.entries()]).toEqual([['k1', first]]);
    expect(owners.get('k1')).toBe(first);
  });

  it('keeps what is newer than the latest, oldest first', () => {
    const at = (iso: string) => ({ at: Date.parse(iso) });
    const items = [
      at('2026-01-01T00:00:03Z'),
      at('2026-01-01T00:00:01Z'),
      at('2026-01-01T00:00:02Z'),
    ];
    const newer = newerThan(items, (x) => x.at, Date.parse('2026-01-01T00:00:01Z'));
    expect(newer.map((x) => new Date(x.at).toISOString())).toEqual([
      '2026-01-01T00:00:02.000Z',
      '2026-01-01T00:00:03.000Z',
    ]);
  });
});
