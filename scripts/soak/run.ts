/**
 * `npm run soak -- --minutes N`: Watchfloor under steady mixed traffic for a
 * long time, to show that nothing grows without bound. Starts the split roles
 * (scripts/bench/cluster.ts) on the real services with a queue prefix and a
 * database of its own, drives the realistic device mix plus one SOS a minute
 * acknowledged and resolved through the API, keeps a supervisor page and a
 * wall page open in Chromium, samples every 30 s, and writes
 * bench/results/soak-<date>.json/.md with the trend of every series after the
 * warm-up and a pass/fail against the bounds in summary.ts. Cleans its Redis
 * keys and database up afterwards, also after a failure or Ctrl-C.
 *
 * Options: --minutes 60  --rate 500  --sample-s 30  --warmup-minutes (default: a fifth, 1-10 min)
 *          --out bench/results  --keep-database (leave the database for a look afterwards)
 */
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createKioskToken } from '../../server/auth/kiosk-tokens';
import { loadConfig } from '../../server/config';
import { createProcessRegistry } from '../../server/metrics/process-registry';
import { createChannelCodec } from '../../server/security/channel-codec';
import { generateFernetKey } from '../../server/security/fernet';
import { listSites } from '../../server/sites/queries';
import { seed } from '../../prisma/seed';
import { launchChromium } from '../../tests/e2e/browser';
import { freePort } from '../../tests/helpers/ports';
import { createPrivateMosquitto } from '../../tests/helpers/private-mosquitto';
import { UNREACHABLE_TILES } from '../../tests/e2e/harness';
import { startCluster, stopCluster, type ClusterProcess } from '../bench/cluster';
import { benchAdminCookie } from '../bench/session';
import { summarize } from '../bench/stats';
import { nextBuild, staleBuildReason } from '../lib/next-build';
import { migrate } from '../migrate';
import { ensureDatabase, ensureServices, withDatabase } from '../stack/index';
import { mqttCredentialEnv } from '../stack/mqtt-credentials';
import { cleanUpSoak } from './cleanup';
import { openSoakPages, type SoakPage } from './pages';
import { writeSoakReport, type SoakReport } from './report';
import { sampleResources, type SamplerDeps } from './sampler';
import { pidListeningOn, portOf } from '../lib/service-processes';
import { judgeRun, overallPass, sosVerdict, type SoakSample } from './summary';
import { sosRoundTrip, startTraffic, type SosOutcome } from './traffic';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOS_EVERY_MS = 60_000;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    rate: { type: 'string', default: '500' },
    'sample-s': { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    'keep-database': { type: 'boolean', default: false },
  },
});

const log = (message: string) =>
  console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}`);

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

async function main(): Promise<void> {
  const minutes = positive('minutes', values.minutes);
  const rate = positive('rate', values.rate);
  const sampleS = positive('sample-s', values['sample-s']);
  const warmupMinutes =
    values['warmup-minutes'] !== undefined
      ? Number(values['warmup-minutes'])
      : Math.min(10, Math.max(1, minutes / 5));
  const runId = `wfsoak${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

  const services = await ensureServices();
  // A broker of the soak's own (Debian's Mosquitto with the deployed config): on the shared
  // one every other server on the machine would take the soak's traffic, and it theirs.
  const broker = await createPrivateMosquitto([], { simulator: true });
  await broker.start();
  const brokerEnv = mqttCredentialEnv(broker.credentials);
  const databaseUrl = withDatabase(services.databaseUrl, runId);
  const database = runId;
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (error) => log(`redis: ${error.message}`));
  const patterns = [`${runId}:*`];

  let cluster: ClusterProcess[] = [];
  let pool: pg.Pool | null = null;
  let browser: Awaited<ReturnType<typeof launchChromium>> | null = null;
  let traffic: Awaited<ReturnType<typeof startTraffic>> | null = null;
  let stopRequested: string | null = null;
  const onSignal = (signal: string) => {
    log(`${signal}: finishing the report and cleaning up`);
    stopRequested = `stopped by ${signal}`;
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    log(`database ${database}, Redis prefix ${runId}`);
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    await seed(databaseUrl);
    const reason = staleBuildReason(ROOT);
    if (reason) {
      log(`building the web app (${reason})`);
      await nextBuild({ ...process.env, NODE_ENV: 'production' });
    }

    const webPort = await freePort();
    const baseUrl = `http://127.0.0.1:${webPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...brokerEnv,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redisUrl,
      MQTT_URL: broker.url,
      QUEUE_PREFIX: runId,
      EVENT_CHANNEL_PREFIX: `${runId}:events`,
      MQTT_CLIENT_ID: runId,
      MQTT_SHARE_GROUP: runId,
      // The broker forgets the soak's sessions soon after it stops.
      MQTT_SESSION_EXPIRY_S: '120',
      CHANNELS_ENCRYPTION_KEY: generateFernetKey(),
      SESSION_SECRET: randomBytes(48).toString('base64url'),
      // Production checks pass except those the local demo waives (loopback only).
      LOCAL_DEMO: 'true',
      HOST: '127.0.0.1',
      MAP_TILE_URL: UNREACHABLE_TILES,
    };
    const config = loadConfig(env);
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', (error) => log(`postgres: ${error.message}`));
    const sites = await listSites(pool);

    log(`starting web, ingest and workers on port ${webPort}`);
    cluster = await startCluster({
      root: ROOT,
      env,
      webPort,
      logDir: path.join(ROOT, 'bench', 'tmp', runId),
    });
    const roles = Object.fromEntries(cluster.map((p) => [p.name, p.child.pid!]));
    const crashed = () => {
      const dead = cluster.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      return dead
        ? `${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}); see ${dead.log}`
        : null;
    };

    // Sessions outlive the run, however long.
    const cookie = await benchAdminCookie(pool, config, minutes / 60 + 2);
    const { token: wallToken } = await createKioskToken(pool, {
      name: 'Soak wall',
      siteIds: 'all',
      createdById: null,
    });
    browser = await launchChromium();
    const pages: SoakPage[] = await openSoakPages(browser, baseUrl, { cookie, wallToken });
    log('supervisor and wall pages live');

    const mqtt = {
      url: broker.url,
      username: env.MQTT_SIMULATOR_USERNAME,
      password: env.MQTT_SIMULATOR_PASSWORD,
    };
    traffic = await startTraffic({ pool, sites, rate, mqtt });
    const sim = traffic.sim;
    log(
      `traffic: ${traffic.guards} guards on ${sites.length} sites, about ${rate} msg/s, for ${minutes} min`,
    );

    const samplerDeps: SamplerDeps = {
      pool,
      database,
      redis,
      redisPatterns: patterns,
      registry: createProcessRegistry({
        redis,
        prefix: config.EVENT_CHANNEL_PREFIX,
        codec: createChannelCodec(config.CHANNELS_ENCRYPTION_KEY),
        ttlMs: 3 * config.CHART_SAMPLE_MS,
      }),
      roles,
      services: {
        postgres: pidListeningOn(portOf(services.databaseUrl, 5432)),
        redis: pidListeningOn(portOf(services.redisUrl, 6379)),
        mosquitto: pidListeningOn(portOf(broker.url, 1883)),
      },
    };
    log(`service pids: ${JSON.stringify(samplerDeps.services)}`);

    const sosOutcomes: SosOutcome[] = [];
    let sosRunning: Promise<void> = Promise.resolve();
    let sosCount = 0;
    const sosTimer = setInterval(() => {
      const guardId = sim.guardIds[sosCount++ % sim.guardIds.length]!;
      sosRunning = sosRunning.then(async () => {
        const outcome = await sosRoundTrip({
          pool: pool!,
          baseUrl,
          cookie,
          guardId,
          raise: (id) => sim.raiseAlert(id, 'sos'),
        }).catch((error: Error) => ({
          raisedAt: Date.now(),
          guardId,
          storedMs: null,
          acknowledged: false,
          resolved: false,
          error: error.message,
        }));
        sosOutcomes.push(outcome);
        if (!outcome.resolved) log(`SOS from ${guardId} not completed: ${outcome.error}`);
      });
    }, SOS_EVERY_MS);

    const started = Date.now();
    const samples: SoakSample[] = [];
    /** The report as of now; written after every sample too, so a crash still leaves one. */
    const buildReport = (
      stoppedEarly: string | null,
      counts: { published: number; acknowledged: number; failed: number },
    ): SoakReport => {
      const verdicts = judgeRun(samples, warmupMinutes * 60, rate);
      const sos = sosVerdict(sosOutcomes);
      const pageErrors = pages.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`));
      return {
        startedAt: new Date(started).toISOString(),
        endedAt: new Date().toISOString(),
        plannedMinutes: minutes,
        ranMinutes: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
        stoppedEarly,
        warmupMinutes,
        sampleEveryS: sampleS,
        rate,
        guards: sim.guardIds.length,
        sites: sites.length,
        machine: {
          cpus: os.cpus().length,
          node: process.version,
          loadAvg: os.loadavg(),
          browser: `Chromium ${browser!.version()}`,
        },
        settings: {
          WORKER_CONCURRENCY: config.WORKER_CONCURRENCY,
          POSITION_FLUSH_MS: config.POSITION_FLUSH_MS,
          CHART_SAMPLE_MS: config.CHART_SAMPLE_MS,
          MQTT_SESSION_EXPIRY_S: config.MQTT_SESSION_EXPIRY_S,
        },
        published: counts.published,
        acknowledged: counts.acknowledged,
        publishFailed: counts.failed,
        sos,
        pageErrors,
        verdicts,
        pass: overallPass({ stoppedEarly, sos, verdicts, pageErrors }),
        samples,
      };
    };
    const endAt = started + minutes * 60_000;
    // Latencies before the first sample belong to the start-up, not to a window.
    for (const page of pages) await page.readLatencies();
    let stoppedEarly: string | null = null;
    let lastAt = started;
    while (Date.now() < endAt) {
      // A slow sample delays the next one rather than making it follow at once.
      const nextAt = Math.max(
        started + (samples.length + 1) * sampleS * 1000,
        lastAt + sampleS * 500,
      );
      while (Date.now() < nextAt && !stopRequested && !crashed())
        await new Promise((resolve) => setTimeout(resolve, 250));
      stoppedEarly = stopRequested ?? crashed();
      if (stoppedEarly) break;
      const heapMb: Record<string, number> = {};
      const latency: SoakSample['latency'] = {};
      for (const page of pages) {
        const { latencies, dropped } = await page.readLatencies();
        latency[page.name] = { ...summarize(latencies), dropped };
        heapMb[page.name] = Math.round((await page.heapAfterGcMb()) * 100) / 100;
      }
      const stats = sim.stats();
      const sample: SoakSample = {
        t: Math.round((Date.now() - started) / 1000),
        at: new Date().toISOString(),
        ...(await sampleResources(samplerDeps)),
        heapMb,
        latency,
        published: stats.published,
        acknowledged: stats.acknowledged,
      };
      samples.push(sample);
      lastAt = Date.now();
      writeSoakReport(values.out, buildReport(`still running after ${sample.t} s`, sim.stats()));
      log(
        `t=${sample.t}s rss ${JSON.stringify(sample.rssMb)} heap ${JSON.stringify(heapMb)} ` +
          `redis ${sample.redisUsedMb} MB (soak ${sample.redisSoakMb} MB, ${sample.redisSoakKeys} keys) ` +
          `db ${sample.databaseMb} MB backlog ${sample.acknowledged - sample.ingested} load ${sample.loadAvg1m} lag ${JSON.stringify(sample.eventLoopLagMs)} ` +
          `p99 ${Object.entries(latency)
            .map(([k, v]) => `${k} ${v.p99 ?? '-'} ms (${v.count})`)
            .join(', ')}`,
      );
    }
    clearInterval(sosTimer);
    await sosRunning;
    const published = await sim.stop(30_000);
    traffic = null;
    const report = buildReport(stoppedEarly, published);
    if (report.pageErrors.length)
      log(`page errors:\n  ${report.pageErrors.slice(0, 20).join('\n  ')}`);
    const files = writeSoakReport(values.out, report);
    log(`${report.pass ? 'PASS' : 'FAIL'}; wrote ${files.join(', ')}`);
    if (!report.pass) process.exitCode = 1;
  } finally {
    await traffic?.sim.stop(5_000).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stopCluster(cluster);
    await pool?.end().catch(() => undefined);
    if (values['keep-database']) log(`kept database ${database}`);
    await cleanUpSoak({
      redis,
      patterns,
      databaseUrl: values['keep-database'] ? null : databaseUrl,
      log,
    });
    await redis.quit().catch(() => undefined);
    await broker.dispose().catch(() => undefined);
    await services.stop();
  }
}

main().catch((error: Error) => {
  console.error(`[soak] failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
