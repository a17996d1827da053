import { describe, expect, it } from 'vitest';
import { lastIndexAtOrBefore, positionAt } from '../../components/replay/replay-math';

describe('replay positions', () => {
  const points: [number, number, number][] = [
    [0, 0, 0],
    [10, 10, 20],
  ];

  it('finds the last point at or before a moment, and none before the path starts', () => {
    expect(lastIndexAtOrBefore(points, -1)).toBe(-1);
    expect(lastIndexAtOrBefore(points, 0)).toBe(0);
    expect(lastIndexAtOrBefore(points, 9)).toBe(0);
    expect(lastIndexAtOrBefore(points, 10)).toBe(1);
  });

  it('interpolates between points and stays at the last one after the path ends', () => {
    expect(positionAt(points, 5)).toEqual([5, 10]);
    expect(positionAt(points, 99)).toEqual([10, 20]);
  });
});
