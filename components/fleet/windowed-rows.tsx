'use client';
/**
 * A scrolling list of fixed-height rows, windowed with @tanstack/react-virtual:
 * only the rows in view (and a few either side) are in the DOM, so a list of
 * thousands of devices renders a few dozen rows however often they change.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

const OVERSCAN_ROWS = 8;

interface WindowedRowsProps {
  ids: readonly string[];
  rowPx: number;
  label: string;
  className: string;
  renderRow(id: string, index: number): ReactNode;
}

/** renderRow must return an <li> of exactly rowPx height. */
export function WindowedRows({ ids, rowPx, label, className, renderRow }: WindowedRowsProps) {
  const listRef = useRef<HTMLUListElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowPx,
    getItemKey: (index) => ids[index] ?? index,
    overscan: OVERSCAN_ROWS,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <ul ref={listRef} className={`wf-fleet-list ${className}`} aria-label={label}>
      <li className="wf-fleet-list__spacer" aria-hidden="true" style={{ height: before }} />
      {items.map((item) => renderRow(ids[item.index]!, item.index))}
      <li className="wf-fleet-list__spacer" aria-hidden="true" style={{ height: after }} />
    </ul>
  );
}
