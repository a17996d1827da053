import { describe, expect, it } from 'vitest';
import { applyGeofenceFixes, type GeofenceSide } from '../../server/geo/geofence-hysteresis';

const run = (start: GeofenceSide | null, sides: (GeofenceSide | null)[], strikes = 0) =>
  applyGeofenceFixes(
    { side: start, strikes },
    sides.map((side, i) => ({ i, side })),
    (f) => f.side,
    2,
  );

describe('geofence hysteresis', () => {
  it('sets the first clear side without a transition', () => {
    expect(run(null, [null, 'inside'])).toEqual({
      state: { side: 'inside', strikes: 0 },
      transitions: [],
    });
  });

  it('raises one exit after two clear fixes outside, not one per fix', () => {
    const result = run('inside', ['outside', 'outside', 'outside', 'outside', 'outside']);
    expect(result.transitions).toEqual([{ kind: 'exit', fix: { i: 1, side: 'outside' } }]);
    expect(result.state).toEqual({ side: 'outside', strikes: 0 });
  });

  it('does not flap on jitter that alternates across the fence', () => {
    const result = run('inside', ['outside', 'inside', 'outside', 'inside', 'outside', 'inside']);
    expect(result.transitions).toEqual([]);
    expect(result.state.side).toBe('inside');
  });

  it('ignores ambiguous fixes near the boundary without resetting the count', () => {
    const result = run('inside', ['outside', null, 'outside']);
    expect(result.transitions.map((t) => t.kind)).toEqual(['exit']);
  });

  it('carries strikes over from the previous batch', () => {
    expect(run('inside', ['outside'], 1).transitions.map((t) => t.kind)).toEqual(['exit']);
  });

  it('raises enter when the guard comes back', () => {
    const result = run('inside', ['outside', 'outside', 'inside', 'inside']);
    expect(result.transitions.map((t) => t.kind)).toEqual(['exit', 'enter']);
  });
});
