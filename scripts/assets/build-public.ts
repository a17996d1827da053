/**
 * Regenerates the binary files of public/ from their sources, so none is an
 * opaque blob: the PNG icons from public/icons/watchfloor.svg (rendered by
 * Debian's Chromium, as the e2e tests use it) and the alert sound from
 * components/alerts/alert-tone.ts. The results are committed; run this after
 * changing either source:  npx tsx scripts/assets/build-public.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../../tests/e2e/browser';
import { renderAlertWav } from './alert-wav';

const PUBLIC = path.join(__dirname, '../../public');
const BACKGROUND = '#0b1016';

/** Icons the web app manifest lists; maskable ones keep the mark inside the 80% safe zone. */
const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
];

async function renderIcons(): Promise<void> {
  const svg = readFileSync(path.join(PUBLIC, 'icons/watchfloor.svg'));
  const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  const browser = await launchChromium();
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
      const mark = icon.maskable ? Math.round(icon.size * 0.7) : icon.size;
      await page.setContent(
        `<body style="margin:0;display:grid;place-items:center;width:${icon.size}px;height:${icon.size}px;` +
          `background:${icon.maskable ? BACKGROUND : 'transparent'}">` +
          `<img src="${src}" width="${mark}" height="${mark}"></body>`,
      );
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      await page.screenshot({
        path: path.join(PUBLIC, 'icons', icon.file),
        omitBackground: !icon.maskable,
      });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  writeFileSync(path.join(PUBLIC, 'sounds/critical-alert.wav'), renderAlertWav());
  await renderIcons();
  console.log('[assets] public/sounds/critical-alert.wav and public/icons/*.png written');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
