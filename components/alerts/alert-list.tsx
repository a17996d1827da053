'use client';
/**
 * The feed's scrolling list, windowed: only the cards in view (and a few
 * either side) are in the DOM. Cards differ in height (message, resolve form,
 * who acknowledged), so each rendered card is measured; the ones not rendered
 * keep their room in two spacers, so the scrollbar tells the truth. A control
 * room with thousands of open alerts then renders a few dozen cards, not one
 * per alert.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import type { AlertDto } from '@/contract/alerts';

/** A first guess at a card's height before it is measured (a card without a message). */
const ESTIMATED_CARD_PX = 112;
/** Space between cards and around the list, in px (the CSS of .wf-alert-list uses the same). */
const CARD_GAP_PX = 8;
/** Cards rendered beyond each edge of the viewport: Tab and short scrolls never reach a gap. */
const OVERSCAN_CARDS = 4;

interface AlertListProps {
  alerts: readonly AlertDto[];
  label: string;
  renderCard(
    alert: AlertDto,
    index: number,
    measure: (element: HTMLLIElement | null) => void,
  ): ReactNode;
}

/** The windowed list; renderCard must put `data-index` and the measure ref on the card's <li>. */
export function AlertList({ alerts, label, renderCard }: AlertListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  // No React Compiler in this app: nothing memoizes the virtualizer's functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: alerts.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ESTIMATED_CARD_PX,
    getItemKey: (index) => alerts[index]?.id ?? index,
    overscan: OVERSCAN_CARDS,
    gap: CARD_GAP_PX,
    paddingStart: CARD_GAP_PX,
    paddingEnd: CARD_GAP_PX,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  // Spacers, not padding, stand in for the cards not rendered: a box is never
  // shorter than its padding, so padding would stretch the list to its full length.
  const before = first ? first.start - CARD_GAP_PX : 0;
  const after = last ? virtualizer.getTotalSize() - last.end - CARD_GAP_PX : 0;
  return (
    <ul ref={listRef} className="wf-alert-list wf-alert-list--windowed" aria-label={label}>
      <li className="wf-alert-list__spacer" aria-hidden="true" style={{ height: before }} />
      {items.map((item) => {
        const alert = alerts[item.index];
        return alert ? renderCard(alert, item.index, virtualizer.measureElement) : null;
      })}
      <li className="wf-alert-list__spacer" aria-hidden="true" style={{ height: after }} />
    </ul>
  );
}
