/**
 * The alert feed is windowed (components/alerts/alert-list.tsx): only the cards
 * in view are in the DOM, so a test that needs every card scrolls through.
 */
import type { Locator } from 'playwright-core';

/** Every card's id and text, scrolling the list from top to bottom one screen at a time. */
export async function collectFeedCards(list: Locator): Promise<Map<string, string>> {
  const cards = new Map<string, string>();
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  for (;;) {
    // Let the list render the cards of the new scroll position.
    await list.page().waitForTimeout(100);
    for (const [id, text] of await list
      .locator('.wf-alert')
      .evaluateAll((items) =>
        items.map((item) => [item.getAttribute('data-alert-id') ?? '', item.textContent ?? '']),
      )) {
      cards.set(id!, text!);
    }
    const atEnd = await list.evaluate((el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true;
      el.scrollBy({ top: el.clientHeight / 2 });
      return false;
    });
    if (atEnd) return cards;
  }
}
