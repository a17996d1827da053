/**
 * Which rows of a long list of equal-height rows to render: those in the
 * scrolled viewport plus a margin. 2,000 guard rows each re-rendering with
 * every fix and every second cost as much as the map; the ~30 in view do not.
 */

export interface RowRange {
  /** First rendered row (inclusive). */
  start: number;
  /** Past the last rendered row (exclusive). */
  end: number;
}

/**
 * The rows to render for a viewport at `scrollTop` of `viewportPx` height, with
 * `overscan` rows either side (so Tab and short scrolls never reach a gap).
 * Before the row height is known (0), the first `fallbackRows` rows.
 */
export function visibleRows(
  scrollTop: number,
  viewportPx: number,
  rowPx: number,
  count: number,
  overscan: number,
  fallbackRows = 40,
): RowRange {
  if (rowPx <= 0) return { start: 0, end: Math.min(count, fallbackRows) };
  const first = Math.floor(Math.max(0, scrollTop) / rowPx);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportPx)) / rowPx);
  const start = Math.max(0, Math.min(first - overscan, count));
  const end = Math.min(count, Math.max(start, last + overscan));
  return { start, end };
}
