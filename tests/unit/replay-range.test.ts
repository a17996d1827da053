import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../server/errors';
import { MAX_REPLAY_RANGE_MS, replayGuardPaths } from '../../server/guards/history';

// Never reached: a refused range is refused before any query.
const noDatabase = {} as pg.Pool;
const user = { siteIds: 'all' as const };
const from = Date.parse('2026-12-05T08:00:00Z');

describe('the replay range', () => {
  it('refuses a range that runs backwards or is empty', () => {
    expect(() => replayGuardPaths(noDatabase, user, { guardIds: ['g1'], from, to: from })).toThrow(
      ValidationError,
    );
    const before = from - 1;
    expect(() =>
      replayGuardPaths(noDatabase, user, { guardIds: ['g1'], from, to: before }),
    ).toThrow(ValidationError);
  });

  it('refuses a range one millisecond longer than a day', () => {
    const to = from + MAX_REPLAY_RANGE_MS + 1;
    expect(() => replayGuardPaths(noDatabase, user, { guardIds: ['g1'], from, to })).toThrow(
      /at most 24 hours/,
    );
  });
});
