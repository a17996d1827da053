/**
 * The supervisor's live map against the real stack: seeded sites, the real
 * server, the device simulator over MQTT, Debian's Chromium. Waits for states
 * with generous timeouts and asserts no timings (shared, noisy machine).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { connectTestDevice } from './mqtt-device';
import { REPO_ROOT } from './processes';
import { createBrowserUsers, unexpectedErrors, waitUntilLive } from './sessions';
import { waitFor } from './wait-for';

/** The simulator walks the first 11 seeded guards (by name); the 12th reports only when told. */
const GUARDS = 11;
/** Short thresholds, so "stale" and "offline" happen within the test. */
const STALE_AFTER_MS = 5_000;
const OFFLINE_AFTER_MS = 12_000;
/** "Several": at least half the simulated guards must be seen moving. */
const MIN_MOVED = Math.ceil(GUARDS / 2);
const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'live-map.png');
const SITE_SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'live-map-site.png');
const STALE_SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'live-map-stale-offline.png');
const SELECTED_SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'live-map-selected.png');
const SITE_SELECTED_SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'live-map-site-selected.png');
const WAIT = { timeoutMs: 90_000, intervalMs: 500 };

interface GuardFix {
  id: string;
  siteId: string | null;
  status: string | null;
  lat: number;
  lon: number;
}

/** Every guard row that carries a position, as the panel shows it right now. */
function readFixes(page: Page): Promise<GuardFix[]> {
  return page.$$eval('[data-guard-id][data-lat][data-lon]', (rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-guard-id') ?? '',
      siteId: row.getAttribute('data-site-id'),
      status: row.getAttribute('data-status'),
      lat: Number(row.getAttribute('data-lat')),
      lon: Number(row.getAttribute('data-lon')),
    })),
  );
}

/** The guard canvas as an image: it changes when markers are redrawn elsewhere. */
function guardCanvasImage(page: Page): Promise<string> {
  return page.$eval('.leaflet-guards-pane canvas', (canvas) =>
    (canvas as HTMLCanvasElement).toDataURL(),
  );
}

/**
 * Page coordinates of the middles of guards' dots, found in the canvas's own
 * pixels (the canvas has no element per guard): opaque, non-dark pixels whose
 * neighbours two pixels away in every direction have their colour, i.e. inside
 * a filled dot, not on a heading tick or outline, and not under other UI. One
 * point per dot (points closer than 12 px count as one), up to 20.
 */
function findGuardDots(page: Page): Promise<{ x: number; y: number }[]> {
  return page.$eval('.leaflet-guards-pane canvas', (element) => {
    const canvas = element as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) return [];
    const { width, height } = canvas;
    const data = ctx.getImageData(0, 0, width, height).data;
    const at = (x: number, y: number) => (y * width + x) * 4;
    const same = (a: number, b: number) =>
      data[a] === data[b] && data[a + 1] === data[b + 1] && data[a + 2] === data[b + 2];
    const rect = canvas.getBoundingClientRect();
    const scale = rect.width / width;
    const found: { x: number; y: number }[] = [];
    for (let y = 2; y < height - 2 && found.length < 20; y += 1) {
      for (let x = 2; x < width - 2 && found.length < 20; x += 1) {
        const i = at(x, y);
        if (data[i + 3] !== 255 || data[i]! + data[i + 1]! + data[i + 2]! < 150) continue;
        const inside = [at(x - 2, y), at(x + 2, y), at(x, y - 2), at(x, y + 2)].every(
          (j) => data[j + 3] === 255 && same(i, j),
        );
        if (!inside) continue;
        const point = { x: rect.left + x * scale, y: rect.top + y * scale };
        if (found.some((p) => Math.hypot(p.x - point.x, p.y - point.y) < 12)) continue;
        // Nothing of the page's own (legend, detail panel, controls, labels) covers the dot.
        const top = document.elementFromPoint(point.x, point.y);
        if (
          top?.closest('.leaflet-container') &&
          !top.closest('.leaflet-control-container, .leaflet-tooltip')
        ) {
          found.push(point);
        }
      }
    }
    return found;
  });
}

/** The hover tooltip, not the permanent label of a guard in SOS (whose dot shows none). */
const HOVER_TOOLTIP = '.leaflet-tooltip.wf-guard-tooltip:not(.wf-guard-tooltip--sos)';

/** Hovers guards' dots until one shows its tooltip (guards walk: the next paint may move one). */
function hoverSomeGuard(page: Page, wait: Parameters<typeof waitFor>[2]) {
  const tooltip = page.locator(HOVER_TOOLTIP);
  return waitFor(
    'a guard tooltip on hovering a dot',
    async () => {
      for (const dot of await findGuardDots(page)) {
        await page.mouse.move(dot.x, dot.y);
        const shown = (await tooltip.count()) > 0 ? await tooltip.first().textContent() : null;
        if (shown) return { point: dot, text: shown };
      }
      return false;
    },
    wait,
  );
}

describe('supervisor live map', () => {
  let stack: LiveStack | undefined;
  let browser: Browser | undefined;
  let users: ReturnType<typeof createBrowserUsers> | undefined;
  let page: Page;
  let browserErrors: string[] = [];

  beforeAll(async () => {
    stack = await startLiveStack({
      guards: GUARDS,
      rate: 2,
      env: {
        GUARD_STALE_AFTER_MS: String(STALE_AFTER_MS),
        GUARD_OFFLINE_AFTER_MS: String(OFFLINE_AFTER_MS),
      },
    });
    browser = await launchChromium();
    users = createBrowserUsers(stack, browser);
    const supervisor = await users.open('supervisor');
    page = supervisor.page;
    browserErrors = supervisor.errors;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.cleanup();
    await stack?.stop();
  }, 60_000);

  it('shows every site geofence and moves guard markers as fixes arrive', async () => {
    const live = stack!;
    const wait = { ...WAIT, abortIf: () => live.crashed() };
    await page.goto(`${live.baseUrl}/`);

    await waitUntilLive(page, live, WAIT.timeoutMs);
    // The guard list lives on its own tab of the side panel.
    await page.getByRole('tab', { name: 'Guards' }).click();

    // Geofences: one SVG path per site, each with its name label, drawn inside the map.
    const geofences = await waitFor(
      'site geofences on the map',
      async () => {
        const boxes = await page.$$eval('path.wf-geofence[data-site-id]', (paths) =>
          paths.map((p) => {
            const box = p.getBoundingClientRect();
            return { siteId: p.getAttribute('data-site-id'), width: box.width, height: box.height };
          }),
        );
        return boxes.length > 0 && boxes;
      },
      wait,
    );
    expect(geofences.length).toBeGreaterThanOrEqual(live.seeded.sites);
    expect(geofences.every((box) => box.width > 4 && box.height > 4)).toBe(true);
    const labels = await page.locator('.wf-site-label').allTextContents();
    expect(labels).toHaveLength(geofences.length);
    expect(labels.every((label) => label.trim().length > 0)).toBe(true);

    // Markers: every simulated guard has a live fix, and the map holds a marker per fix.
    const before = await waitFor(
      `${GUARDS} guards with a live fix`,
      async () => {
        const fixes = (await readFixes(page)).filter(
          (fix) => fix.status === 'patrol' || fix.status === 'idle',
        );
        return fixes.length >= GUARDS && fixes;
      },
      wait,
    );
    await waitFor(
      'one map marker per guard with a position',
      async () => {
        const [rows, markers] = await Promise.all([
          readFixes(page),
          page.$eval('.leaflet-guards-pane', (pane) =>
            Number(pane.getAttribute('data-marker-count')),
          ),
        ]);
        return markers === rows.length;
      },
      wait,
    );
    // Every guard's site is drawn on the map.
    const drawnSites = new Set(geofences.map((box) => box.siteId));
    const guardSites = new Set(before.map((fix) => fix.siteId).filter(Boolean));
    expect([...guardSites].filter((siteId) => !drawnSites.has(siteId))).toEqual([]);

    // Movement: positions change for several guards, and the marker canvas is redrawn.
    const canvasBefore = await guardCanvasImage(page);
    const start = new Map(before.map((fix) => [fix.id, `${fix.lat},${fix.lon}`]));
    const moved = await waitFor(
      `at least ${MIN_MOVED} guards to move`,
      async () => {
        const now = await readFixes(page);
        const changed = now.filter((fix) => {
          const was = start.get(fix.id);
          return was !== undefined && was !== `${fix.lat},${fix.lon}`;
        });
        return changed.length >= MIN_MOVED && changed;
      },
      wait,
    );
    expect(moved.length).toBeGreaterThanOrEqual(MIN_MOVED);
    await waitFor(
      'the marker canvas to be redrawn',
      async () => (await guardCanvasImage(page)) !== canvasBefore,
      wait,
    );

    // No tile server is reachable: the probe gave up, no tile layer was added, the grid shows.
    await waitFor(
      'the tile probe to give up',
      async () => (await page.getAttribute('[data-tiles]', 'data-tiles')) === 'failed',
      wait,
    );
    expect(await page.locator('img.leaflet-tile').count()).toBe(0);
    expect(await page.locator('.wf-grid-tile').count()).toBeGreaterThan(0);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(unexpectedErrors(browserErrors)).toEqual([]);
  }, 240_000);

  it('names a guard on hover and selects it on click, on the canvas', async () => {
    const live = stack!;
    const wait = { ...WAIT, abortIf: () => live.crashed() };
    const tooltip = page.locator(HOVER_TOOLTIP);
    const { point, text } = await hoverSomeGuard(page, wait);
    // "<name> · <status>", as the side list shows it.
    const [name, status] = text.split(' · ');
    expect(['On patrol', 'Idle', 'Stale', 'Offline']).toContain(status);
    expect(await page.locator('.wf-guard__name', { hasText: name! }).count()).toBe(1);
    expect(await page.$eval('.leaflet-container', (map) => getComputedStyle(map).cursor)).toBe(
      'pointer',
    );

    await page.mouse.click(point.x, point.y);
    const detail = page.locator('[data-guard-detail]');
    await waitFor('the guard details to open', async () => (await detail.count()) === 1, wait);
    expect(await detail.locator('.wf-detail__title').textContent()).toContain(name);
    const guardId = await detail.getAttribute('data-guard-detail');
    expect(await page.getAttribute(`[data-guard-id="${guardId}"]`, 'class')).toContain(
      'wf-guard--selected',
    );
    await page.screenshot({ path: SELECTED_SCREENSHOT });

    // Off the dots, the tooltip goes; the details close with their button.
    await page.mouse.move(2, 2);
    await waitFor('the hover tooltip to go', async () => (await tooltip.count()) === 0, wait);
    await page.getByRole('button', { name: 'Close guard details' }).click();
    expect(await detail.count()).toBe(0);
    expect(unexpectedErrors(browserErrors)).toEqual([]);
  }, 120_000);

  it('shows a guard that stops reporting as stale, then offline', async () => {
    const live = stack!;
    // The same order the simulator reads the guards in (server/guards/queries.ts: by name).
    const { rows } = await users!.pool.query<{ id: string }>('SELECT id FROM guards ORDER BY name');
    const SILENT_GUARD = rows[GUARDS]!.id;
    const wait = { ...WAIT, abortIf: () => live.crashed() };
    const device = await connectTestDevice('silent-guard');
    try {
      // One fix, then silence.
      await device.publish(
        `guard/${SILENT_GUARD}/gps`,
        { lat: 53.5335, lon: 9.998, accuracy: 6, speed: 1.2, heading: 90, ts: Date.now() },
        1,
      );
    } finally {
      await device.close();
    }
    const row = `[data-guard-id="${SILENT_GUARD}"]`;
    const statusOf = () => page.getAttribute(row, 'data-status');
    const seen: string[] = [];
    const note = async () => {
      const status = await statusOf();
      if (status && seen[seen.length - 1] !== status) seen.push(status);
      return status;
    };
    await waitFor(
      'the fix to show the guard live',
      async () => /patrol|idle/.test((await note()) ?? ''),
      wait,
    );
    await waitFor('the guard to turn stale', async () => (await note()) === 'stale', wait);
    await page.screenshot({ path: STALE_SCREENSHOT });
    await waitFor('the guard to turn offline', async () => (await note()) === 'offline', wait);
    // In that order: live, then stale, then offline.
    expect(seen.slice(-3).map((s) => (s === 'idle' ? 'patrol' : s))).toEqual([
      'patrol',
      'stale',
      'offline',
    ]);
    expect(await page.locator(`${row} .wf-guard__status`).textContent()).toBe('Offline');
  }, 120_000);

  it('zooms to a site when its name is clicked', async () => {
    const live = stack!;
    const label = page.locator('.wf-site-label').first();
    const siteName = (await label.textContent())?.trim();
    const ringsBefore = await page.locator('.wf-site-ring').count();
    await label.click();
    // Settled, not mid-flight: the overview ring of the site is gone (the zoom ended) and the
    // fence has the same size on two probes in a row; then it fills a good part of the map.
    let previous = -1;
    const fence = await waitFor(
      `the map to zoom to ${siteName}`,
      async () => {
        const [rings, sizes] = await Promise.all([
          page.locator('.wf-site-ring').count(),
          page.$$eval('path.wf-geofence', (paths) =>
            paths.map((p) => {
              const box = p.getBoundingClientRect();
              return Math.round(Math.max(box.width, box.height));
            }),
          ),
        ]);
        const largest = Math.max(...sizes);
        const settled = largest === previous;
        previous = largest;
        return (ringsBefore === 0 || rings < ringsBefore) && settled && largest > 200 && largest;
      },
      { ...WAIT, abortIf: () => live.crashed() },
    );
    expect(fence).toBeGreaterThan(200);
    // The name took the click: no guard drawn under it was selected.
    const detail = page.locator('[data-guard-detail]');
    expect(await detail.count()).toBe(0);
    await page.screenshot({ path: SITE_SCREENSHOT });
    // Zoomed in, a selected guard shows its trail; the picture for the eye, the details for the test.
    const wait = { ...WAIT, abortIf: () => live.crashed() };
    // Guards walk: hover and click again if the one under the pointer moved off before the click.
    await waitFor(
      'a click on a dot to open its guard details',
      async () => {
        const { point } = await hoverSomeGuard(page, wait);
        await page.mouse.click(point.x, point.y);
        return (await detail.count()) === 1;
      },
      wait,
    );
    await page.screenshot({ path: SITE_SELECTED_SCREENSHOT });
    await page.getByRole('button', { name: 'Close guard details' }).click();
    expect(unexpectedErrors(browserErrors)).toEqual([]);
  }, 120_000);

  it('says reconnecting while the server is away and live again once it is back', async () => {
    const live = stack!;
    const status = () => page.getAttribute('[data-connection]', 'data-connection');
    const notice = page.locator('.wf-panel__notice');
    const errorsBefore = browserErrors.length;

    await live.stopServer();
    const away = await waitFor(
      'the indicator to stop saying live',
      async () => {
        const now = await status();
        return now !== 'live' && now;
      },
      WAIT,
    );
    expect(['reconnecting', 'offline']).toContain(away);
    expect(await notice.count()).toBe(1);

    await live.startServer();
    await waitFor('the indicator to say live again', async () => (await status()) === 'live', {
      ...WAIT,
      abortIf: () => live.crashed(),
    });
    expect(await notice.count()).toBe(0);
    // While the server was down the browser logs failed connection attempts; nothing else.
    expect(unexpectedErrors(browserErrors.slice(errorsBefore))).toEqual([]);
  }, 180_000);
});
