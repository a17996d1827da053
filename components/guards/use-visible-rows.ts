'use client';
/** The window of rows a scrolling list should render, following its scroll and size. */
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { visibleRows, type RowRange } from './visible-rows';

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN_ROWS = 10;

/**
 * Watches the list's scroll position and height and measures its first row,
 * returning the range to render and the row height (0 until measured).
 */
export function useVisibleRows(
  listRef: RefObject<HTMLElement | null>,
  count: number,
): RowRange & { rowPx: number } {
  const [view, setView] = useState({ scrollTop: 0, heightPx: 0, rowPx: 0 });
  const measure = useCallback(() => {
    const list = listRef.current;
    if (!list) return;
    const row = list.querySelector<HTMLElement>(':scope > li');
    const next = {
      scrollTop: list.scrollTop,
      heightPx: list.clientHeight,
      rowPx: row?.offsetHeight ?? 0,
    };
    setView((prev) =>
      prev.scrollTop === next.scrollTop &&
      prev.heightPx === next.heightPx &&
      prev.rowPx === next.rowPx
        ? prev
        : next,
    );
  }, [listRef]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    measure();
    list.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(list);
    return () => {
      list.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [listRef, measure, count]);

  const range = visibleRows(view.scrollTop, view.heightPx, view.rowPx, count, OVERSCAN_ROWS);
  return { ...range, rowPx: view.rowPx };
}
