import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, it } from 'vitest';
import { launchChromium } from './browser';
import { startLiveStack, type LiveStack } from './harness';
import { createBrowserUsers, waitUntilLive } from './sessions';

let stack: LiveStack | undefined;
afterAll(async () => { await stack?.stop(); }, 60_000);
it('profiles', async () => {
  stack = await startLiveStack({ guards: 4, rate: 0.2 });
  const browser = await launchChromium();
  const users = createBrowserUsers(stack, browser);
  const key = `dbg-${randomBytes(4).toString('hex')}-`;
  await users.pool.query(
    `INSERT INTO alerts (id, type, severity, message, site_id, raised_at, message_key)
     SELECT gen_random_uuid(), 'tamper', 'medium', 'Night alert #' || i,
            (SELECT id FROM sites ORDER BY id LIMIT 1 OFFSET i % 2), now() - i * interval '5 seconds', $2 || i
     FROM generate_series(1, $1::int) AS i`, [300, key]);
  const s = await users.open('supervisor');
  const cdp = await s.page.context().newCDPSession(s.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await s.page.goto(`${stack.baseUrl}/`);
  await waitUntilLive(s.page, stack, 200_000);
  console.log('live after', Date.now() - t0);
  await s.page.waitForTimeout(5000);
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const counts = new Map<number, number>();
  for (const id of profile.samples ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, c] of counts) {
    const n: any = byId.get(id);
    const k = `${n.callFrame.functionName}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + c);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
  writeFileSync('/tmp/feed-profile.txt', top.map(([k, v]) => `${v}\t${k}`).join('\n'));
  console.log('cards', await s.page.locator('.wf-alert').count());
  console.log(await s.page.evaluate(() => {
    let el: Element | null = document.querySelector('ul[aria-label="Alert feed"]');
    const out: string[] = [];
    while (el) { const cs = getComputedStyle(el); out.push(`${el.tagName}.${el.className} h=${(el as HTMLElement).clientHeight} sh=${el.scrollHeight} disp=${cs.display} flex=${cs.flex} minh=${cs.minHeight} ov=${cs.overflowY}`); el = el.parentElement; }
    return out.join('\n');
  }));
  await s.page.screenshot({ path: '/tmp/feed-debug.png' });
  await browser.close();
  await users.cleanup();
}, 400_000);
