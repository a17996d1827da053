/**
 * When did something first appear on a page? An observer installed in the page
 * before the action records the page's clock the moment a matching element
 * exists, so a measured latency is not rounded up to the test's polling
 * interval or stretched by Playwright round trips. The browser runs on the
 * same machine as the test, so its Date.now() is the test's clock.
 */
import type { Page } from 'playwright-core';

interface Watched {
  __wfAppearances?: Record<string, Promise<number>>;
}

/**
 * Starts watching `page` for an element matching `selector` whose text contains
 * `text`; resolves once the watch is installed, to a function that reads the
 * time (ms since epoch) it appeared, after the test saw it by other means.
 */
export async function watchAppearance(
  page: Page,
  selector: string,
  text = '',
): Promise<() => Promise<number>> {
  const key = `${selector}\u0000${text}`;
  await page.evaluate(
    ({ key, selector, text }) => {
      const watched = window as Watched;
      watched.__wfAppearances ??= {};
      watched.__wfAppearances[key] = new Promise<number>((resolve) => {
        const present = () =>
          Array.from(document.querySelectorAll(selector)).some((element) =>
            (element.textContent ?? '').includes(text),
          );
        if (present()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (!present()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      });
    },
    { key, selector, text },
  );
  return () =>
    page.evaluate((key) => {
      const appeared = (window as Watched).__wfAppearances?.[key];
      if (!appeared) throw new Error(`no appearance watch for ${key}`);
      return appeared;
    }, key);
}
