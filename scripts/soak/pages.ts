/**
 * The screens a soak keeps open in Debian's Chromium: a supervisor page and a
 * wall page. Each page gets a probe, installed before its own scripts, that
 * takes the publish-to-screen latency of every guard fix its WebSocket
 * receives (the fix time is the simulator's publish time; page and soak share
 * the machine's clock) into a bounded buffer read back each sample; and a
 * DevTools session to force a garbage collection and read the JS heap.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { waitFor } from '../../tests/e2e/wait-for';

/** The most fix latencies a page keeps between two reads (about 4 min at 500 fixes/s). */
const PROBE_BUFFER = 120_000;

/** Plain JavaScript (see bench/browser-probe.ts for why not a function). */
const INSTALL_LATENCY_PROBE = `
(() => {
  const state = { latencies: [], dropped: 0 };
  window.__wfSoak = state;
  const NativeWebSocket = window.WebSocket;
  // fixAt is epoch ms (contract/time.ts): the digits after the key are the fix time.
  const fixAt = /"fixAt":([0-9]+)/g;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || event.data.indexOf('"fixAt"') === -1) return;
        const now = Date.now();
        fixAt.lastIndex = 0;
        for (let m = fixAt.exec(event.data); m; m = fixAt.exec(event.data)) {
          if (state.latencies.length >= ${PROBE_BUFFER}) { state.dropped += 1; continue; }
          state.latencies.push(now - Number(m[1]));
        }
      });
    }
  };
})();
`;

const READ_LATENCY_PROBE = `
(() => {
  const state = window.__wfSoak;
  if (!state) return null;
  const reading = { latencies: state.latencies, dropped: state.dropped };
  state.latencies = [];
  state.dropped = 0;
  return reading;
})()
`;

export interface SoakPage {
  name: string;
  page: Page;
  /** Fix latencies (ms) received since the previous read; throws if the probe is gone. */
  readLatencies(): Promise<{ latencies: number[]; dropped: number }>;
  /** JS heap in MB after a forced garbage collection. */
  heapAfterGcMb(): Promise<number>;
  /** Page errors seen so far. */
  errors: string[];
}

async function openPage(
  browser: Browser,
  name: string,
  baseUrl: string,
  path: string,
  cookie: string | null,
): Promise<SoakPage> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  if (cookie) {
    const [key, ...value] = cookie.split('=');
    await context.addCookies([{ name: key!, value: value.join('='), url: baseUrl }]);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.addInitScript({ content: INSTALL_LATENCY_PROBE });
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${baseUrl}${path}`);
  await waitFor(
    `the ${name} page to say live`,
    () => page.locator('[data-connection="live"]').count(),
    {
      timeoutMs: 120_000,
      intervalMs: 500,
    },
  );
  return {
    name,
    page,
    errors,
    async readLatencies() {
      const reading = (await page.evaluate(READ_LATENCY_PROBE)) as {
        latencies: number[];
        dropped: number;
      } | null;
      if (!reading) throw new Error(`the latency probe is not installed in the ${name} page`);
      return reading;
    },
    async heapAfterGcMb() {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
    },
  };
}

/** Opens the supervisor page (signed in by `cookie`) and the wall (by its kiosk token). */
export async function openSoakPages(
  browser: Browser,
  baseUrl: string,
  { cookie, wallToken }: { cookie: string; wallToken: string },
): Promise<SoakPage[]> {
  return [
    await openPage(browser, 'supervisor', baseUrl, '/', cookie),
    await openPage(browser, 'wall', baseUrl, `/wall?token=${wallToken}`, null),
  ];
}
