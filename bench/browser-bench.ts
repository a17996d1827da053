/**
 * `npm run bench:browser [-- --guards 2000 --rate 1 --duration 120 --feed channel|mqtt]`
 * `npm run bench:browser -- --devices 2000 --sensors 500 [--panel devices|sensors]` (fleet scenario)
 *
 * The supervisor page under load: the real server, 2,000 guards registered by
 * the device simulator and moving at 1 Hz each (by default fed on the event
 * channel, see channel-feed.ts; --feed mqtt runs the whole pipeline), Debian's
 * Chromium logged in as an admin (who sees every guard). Records frame rate,
 * long tasks and JS heap over the run and writes JSON + Markdown under
 * bench/results/. A benchmark, not a test: it reports, it never fails on a
 * number. With --profile it also writes the page's CPU profile under
 * test-results/ and its self time by library and function into the report.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '../scripts/migrate';
import { nextBuild, staleBuildReason } from '../scripts/lib/next-build';
import { ensureDatabase, ensureServices, withDatabase } from '../scripts/stack/index';
import type { CDPSession } from 'playwright-core';
import { launchChromium } from '../tests/e2e/browser';
import { startLiveStack } from '../tests/e2e/harness';
import { createBrowserUsers } from '../tests/e2e/sessions';
import { waitFor } from '../tests/e2e/wait-for';
import { INSTALL_PROBE, READ_PROBE, type ProbeReading } from './browser-probe';
import { startChannelFeed } from './channel-feed';
import { seedFleet, startFleetFeed } from './fleet-feed';
import { chunkLabeller, summariseProfile, type CpuProfile } from './browser-profile';
import { RETAINED_EVERY_S, summarise, writeReport, type Sample } from './browser-report';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DATABASE = 'watchfloor_bench';
const VIEWPORT = { width: 1920, height: 1080 };

const { values } = parseArgs({
  options: {
    guards: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '1' },
    duration: { type: 'string', default: '120' },
    // Records a CPU profile of the page over the run (it slows the page: numbers are then not comparable).
    profile: { type: 'boolean', default: false },
    // The side panel's tab during the run: 'guards' measures the 2,000-row list too.
    panel: { type: 'string', default: 'alerts' },
    // channel: positions published on the event channel as workers do (the page at the full
    // load); mqtt: through simulator, broker, queues and PostGIS (on 2 cores those cannot
    // carry 2,000 fixes/s next to a browser, so the page then sees less).
    feed: { type: 'string', default: 'channel' },
    // The fleet scenario (fleet-feed.ts): devices and sensors registered, their statuses and
    // readings on the event channel next to the guards' fixes; the sensor layer on the map.
    devices: { type: 'string', default: '0' },
    sensors: { type: 'string', default: '0' },
  },
});

const PANELS = ['alerts', 'guards', 'devices', 'sensors'];
const FEEDS = ['channel', 'mqtt'];
/** The simulator's rate while it only registers the guards for the channel feed. */
const REGISTER_RATE = 0.2;
const FEED_WARMUP_MS = 15_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Stops the CPU profiler and saves the profile (open it in Chromium's DevTools) under test-results/. */
async function stopProfile(cdp: CDPSession): Promise<CpuProfile> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const file = path.join(ROOT, 'test-results', 'browser-bench.cpuprofile');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  log(`CPU profile: ${file}`);
  return profile;
}

/** The built chunk behind a /_next/static URL, to name the libraries it holds. */
function readChunk(url: string): string | null {
  const at = url.indexOf('/_next/static/');
  if (at === -1) return null;
  try {
    return readFileSync(
      path.join(ROOT, '.next', 'static', url.slice(at + 14).split('?')[0]!),
      'utf8',
    );
  } catch {
    return null;
  }
}

const log = (message: string) => console.log(`[bench:browser] ${message}`);

async function main(): Promise<void> {
  const guards = Number(values.guards);
  const rate = Number(values.rate);
  const durationS = Number(values.duration);
  const panel = values.panel;
  if (!PANELS.includes(panel)) throw new Error(`--panel must be one of ${PANELS.join(', ')}`);
  const feed = values.feed;
  if (!FEEDS.includes(feed)) throw new Error(`--feed must be one of ${FEEDS.join(', ')}`);
  const services = await ensureServices();
  const databaseUrl = withDatabase(services.databaseUrl, BENCH_DATABASE);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  // The harness reads the services from the environment, as the e2e tests do.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    MQTT_URL: services.mqttUrl,
    ...services.mqttEnv,
  });
  const reason = staleBuildReason(ROOT);
  if (reason) {
    log(`building the web app (${reason})`);
    await nextBuild({ ...process.env, NODE_ENV: 'production' });
  }

  const simulatorRate = feed === 'channel' ? REGISTER_RATE : rate;
  log(`starting server and simulator: ${guards} guards at ${simulatorRate} Hz`);
  const stack = await startLiveStack({
    guards,
    rate: simulatorRate,
    simulatorArgs: ['--mix', 'gps', '--auth', 'bulk', '--connections', '8'],
  });
  let channelFeed: Awaited<ReturnType<typeof startChannelFeed>> | null = null;
  let fleetFeed: Awaited<ReturnType<typeof startFleetFeed>> | null = null;
  const fleetOptions = {
    databaseUrl: String(stack.serverEnv.DATABASE_URL),
    redisUrl: services.redisUrl,
    channel: String(stack.serverEnv.EVENT_CHANNEL_PREFIX),
    encryptionKey: String(stack.serverEnv.CHANNELS_ENCRYPTION_KEY),
    devices: Number(values.devices),
    sensors: Number(values.sensors),
  };
  const fleet = fleetOptions.devices > 0 || fleetOptions.sensors > 0;
  // Registered before the page loads: screens read the fleet over REST with their snapshot.
  if (fleet) await seedFleet(fleetOptions);
  const browser = await launchChromium();
  const users = createBrowserUsers(stack, browser);
  try {
    const admin = await users.open('admin', VIEWPORT);
    const { page } = admin;
    await page.addInitScript({ content: INSTALL_PROBE });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapMb = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
    };
    // CPU seconds the page's main thread and renderer process used, and the main thread's
    // script time: unlike frame rate, these barely depend on how busy the shared machine is.
    const cpuSeconds = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return {
        thread: value('ThreadTime'),
        process: value('ProcessTime'),
        script: value('ScriptDuration'),
      };
    };
    const gcHeapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return heapMb();
    };
    const readProbe = async (): Promise<ProbeReading> => {
      const reading = (await page.evaluate(READ_PROBE)) as ProbeReading | null;
      // Fail loudly rather than report 0 fps from a probe that never ran.
      if (!reading) throw new Error('the frame probe is not installed in the page');
      return reading;
    };
    const markers = () =>
      page.$eval('.leaflet-guards-pane', (pane) =>
        Number(pane.getAttribute('data-marker-count') ?? 0),
      );

    await page.goto(`${stack.baseUrl}/`);
    if (panel !== 'alerts') await page.getByRole('tab', { name: new RegExp(panel, 'i') }).click();
    const target = Math.floor(guards * 0.95);
    await waitFor(`${target} guard markers on the map`, async () => (await markers()) >= target, {
      timeoutMs: 180_000,
      intervalMs: 1000,
      abortIf: () => stack.crashed(),
    });
    if (feed === 'channel') {
      // The simulator has registered every guard; from here on the channel carries the load.
      await stack.stopSimulator();
      channelFeed = await startChannelFeed({
        databaseUrl: String(stack.serverEnv.DATABASE_URL),
        redisUrl: services.redisUrl,
        channel: String(stack.serverEnv.EVENT_CHANNEL_PREFIX),
        encryptionKey: String(stack.serverEnv.CHANNELS_ENCRYPTION_KEY),
        ratePerGuard: rate,
      });
      log(`feeding ${channelFeed.guards} guards at ${rate} Hz on the event channel`);
      if (fleet) {
        fleetFeed = await startFleetFeed(fleetOptions);
        log(
          `feeding ${fleetFeed.devices} devices and ${fleetFeed.sensors} sensors on the event channel`,
        );
      }
      // Measured from the steady state: the pipeline drains the registration backlog meanwhile.
      await new Promise((resolve) => setTimeout(resolve, FEED_WARMUP_MS));
    }
    log(`${await markers()} markers drawn; measuring for ${durationS} s`);
    const loadStart = os.loadavg()[0]!;
    const retained = [{ t: 0, mb: await gcHeapMb() }];
    if (values.profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await readProbe();
    const cpuStart = await cpuSeconds();
    const samples: Sample[] = [];
    const started = Date.now();
    let last = started;
    let lastThread = cpuStart.thread;
    while (Date.now() - started < durationS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const reading = await readProbe();
      const now = Date.now();
      const seconds = (now - last) / 1000;
      const { thread } = await cpuSeconds();
      samples.push({
        t: Math.round((now - started) / 1000),
        fps: reading.frames / seconds,
        longTasksMs: reading.longTasks,
        heapMb: await heapMb(),
        guardsOnMap: await markers(),
        fixesPerS: reading.fixes / seconds,
        mainThreadMsPerS: ((thread - lastThread) * 1000) / seconds,
      });
      last = now;
      lastThread = thread;
      const t = Math.round((now - started) / 1000);
      if (t >= retained.length * RETAINED_EVERY_S) retained.push({ t, mb: await gcHeapMb() });
      const crash = stack.crashed();
      if (crash) throw new Error(crash);
    }
    const cpuEnd = await cpuSeconds();
    const fleetSent = fleetFeed?.sent();
    const sensorsOnMap = fleet
      ? await page.$eval('.leaflet-sensors-pane', (pane) =>
          Number(pane.getAttribute('data-sensor-count') ?? 0),
        )
      : 0;
    const runS = (Date.now() - started) / 1000;
    const perSecondMs = (key: keyof typeof cpuEnd) =>
      Math.round(((cpuEnd[key] - cpuStart[key]) * 1000) / runS);
    const profile = values.profile
      ? summariseProfile(
          await stopProfile(cdp),
          chunkLabeller((url) => readChunk(url)),
        )
      : null;
    const endS = Math.round((Date.now() - started) / 1000);
    if (retained[retained.length - 1]!.t < endS - 1)
      retained.push({ t: endS, mb: await gcHeapMb() });
    const result = summarise(
      {
        startedAt: new Date(started).toISOString(),
        guards,
        ratePerGuard: rate,
        durationS,
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
        panel,
        feed,
        browser: browser.version(),
        machine: {
          cpus: os.cpus().length,
          loadAvg1mStart: round2(loadStart),
          loadAvg1mEnd: round2(os.loadavg()[0]!),
        },
        profile,
        fleet:
          fleetFeed && fleetSent
            ? {
                devices: fleetFeed.devices,
                sensors: fleetFeed.sensors,
                sensorsOnMap,
                statusesPerS: Math.round(fleetSent.statuses / ((Date.now() - started) / 1000)),
                readingsPerS: Math.round(fleetSent.readings / ((Date.now() - started) / 1000)),
              }
            : null,
        cpuMsPerS: {
          mainThread: perSecondMs('thread'),
          rendererProcess: perSecondMs('process'),
          script: perSecondMs('script'),
        },
      },
      samples,
      retained,
    );
    const files = writeReport(path.join(ROOT, 'bench', 'results'), result);
    log(
      `fps mean ${result.fps.mean} (p5 ${result.fps.p5}); long tasks ${result.longTasks.count}, max ${result.longTasks.maxMs} ms; ` +
        `heap after GC ${result.heap.gcStartMb} -> ${result.heap.gcEndMb} MB (floor slope ${result.heap.floorSlopeMbPerMin} MB/min); ` +
        `${result.fixesPerS} fixes/s reached the page; main thread CPU ${result.cpuMsPerS.mainThread} ms/s (script ${result.cpuMsPerS.script}); load ${result.machine.loadAvg1mStart} -> ${result.machine.loadAvg1mEnd}`,
    );
    log(`wrote ${files.join(', ')}`);
  } finally {
    await channelFeed?.stop();
    await fleetFeed?.stop();
    await browser.close();
    await users.cleanup();
    await stack.stop();
    await services.stop();
  }
}

main().catch((error: Error) => {
  console.error(`[bench:browser] ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
