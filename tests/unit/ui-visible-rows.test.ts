import { describe, expect, it } from 'vitest';
import { visibleRows } from '../../components/guards/visible-rows';

describe('visible rows of a long list', () => {
  it('renders the rows in view plus the overscan on each side', () => {
    // 2,000 rows of 50 px, a 500 px viewport scrolled to row 100.
    expect(visibleRows(5000, 500, 50, 2000, 10)).toEqual({ start: 90, end: 120 });
  });

  it('stops at both ends of the list', () => {
    expect(visibleRows(0, 500, 50, 2000, 10)).toEqual({ start: 0, end: 20 });
    expect(visibleRows(99_750, 500, 50, 2000, 10)).toEqual({ start: 1985, end: 2000 });
    expect(visibleRows(0, 500, 50, 12, 10)).toEqual({ start: 0, end: 12 });
  });

  it('renders the first rows until the row height is known', () => {
    expect(visibleRows(0, 0, 0, 2000, 10)).toEqual({ start: 0, end: 40 });
    expect(visibleRows(0, 0, 0, 12, 10)).toEqual({ start: 0, end: 12 });
  });

  it('never returns an inverted range, even scrolled past the end', () => {
    const range = visibleRows(1_000_000, 500, 50, 30, 10);
    expect(range.start).toBeLessThanOrEqual(range.end);
    expect(range.end).toBe(30);
  });
});
