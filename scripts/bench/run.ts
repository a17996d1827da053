/**
 * `npm run bench`: the ingestion benchmark (a benchmark, not a test). QoS 1
 * GPS traffic from the simulator at stepped rates through Mosquitto into the
 * real pipeline (separate web, ingest and worker processes), then SOS alerts
 * during a GPS flood, then the delay from an SOS to its first escalation
 * e-mail (a real SMTP sink) and webhook (a local receiver) during a GPS flood.
 * Writes bench/results/<date>.json and .md (and latest.*).
 *
 * Options: --steps 1000,2000,3000,5000,10000  --duration 30  --flood-rate 5000
 *   --escalation-rate 2000  --results bench/results  --web-port 3990
 *   --urgent-queues critical,notifications (the urgent worker's queues; `critical`
 *   alone puts e-mails and webhooks on the bulk worker, as before they had a lane)
 *   (--steps '' or --flood-rate 0 skip those parts)
 *   --profile: V8 CPU profiles of every role (summarized by function and package),
 *   and per step the costliest Redis commands and SQL statements (scripts/bench/profile.ts)
 *   --runtime bundle|tsx: the roles on the compiled bundle production runs (default),
 *   or on the TypeScript sources through the tsx loader (scripts/bench/cluster.ts)
 *
 * Each run has its own queue prefix, broker client ids and database
 * (recorded in the run registry, scripts/lib/run-registry.ts) and removes
 * them when it ends, fails or is interrupted (SIGINT/SIGTERM). npm runs it
 * with tsx as a loader: the tsx CLI's signal relay would kill it mid-clean-up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { z } from 'zod';
import { io as connectSocket } from 'socket.io-client';
import { loadConfig } from '../../server/config';
import { listSites } from '../../server/sites/queries';
import { seed } from '../../prisma/seed';
import { nextBuild, staleBuildReason } from '../lib/next-build';
import { registerRun, resourcesOfConfig } from '../lib/run-registry';
import { migrate } from '../migrate';
import { ensureDatabase, ensureServices, withDatabase } from '../stack/index';
import {
  CLUSTER_RUNTIMES,
  startCluster,
  stopCluster,
  type ClusterProcess,
  type ClusterRuntime,
} from './cluster';
import { QUEUE_NAMES, URGENT_QUEUES } from '../../server/queues/routes';
import { runCriticalDuringFlood } from './critical-flood';
import { prepareEscalation, runEscalationDuringFlood } from './escalation-flood';
import { startSmtpSink, type SmtpSink } from '../lib/smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from '../lib/webhook-receiver';
import { runStep, type StepResult } from './measure';
import { renderMarkdown } from './report';
import { benchAdminCookie } from './session';
import { pidListeningOn, portOf, postgresPids } from '../lib/service-processes';
import {
  stepProfiler,
  summarizeProfileDir,
  type CpuProfileSummary,
  type StepProfiler,
} from './profile';
import { sampleProcesses, type MachineUsage, type PidSource, type ProcessUsage } from './stats';
import { runScopedNames } from '../lib/run-names';

/** --urgent-queues: routed queue names, comma-separated. */
const urgentQueuesSchema = z
  .string()
  .transform((v) => v.split(',').filter(Boolean))
  .pipe(z.array(z.enum(QUEUE_NAMES)).min(1));

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000,2000,3000,5000,10000' },
    duration: { type: 'string', default: '30' },
    'flood-rate': { type: 'string', default: '5000' },
    results: { type: 'string' },
    'web-port': { type: 'string', default: '3990' },
    'escalation-rate': { type: 'string', default: '2000' },
    'urgent-queues': { type: 'string', default: URGENT_QUEUES.join(',') },
    profile: { type: 'boolean', default: false },
    runtime: { type: 'string', default: 'bundle' },
  },
});

async function main(): Promise<void> {
  const steps = values.steps.split(',').filter(Boolean).map(Number);
  const runId = Date.now().toString(36);
  const durationS = Number(values.duration);
  const runtime = z.enum(CLUSTER_RUNTIMES).parse(values.runtime);
  const services = await ensureServices();
  // A database of this run alone: counts and latencies are this run's, and it goes with the run.
  const databaseUrl = withDatabase(services.databaseUrl, `watchfloor_bench_${runId}`);
  // Escalation's first step e-mails this sink and posts to this receiver (both on loopback).
  const sink = await startSmtpSink();
  const receiver = await startWebhookReceiver();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...services.mqttEnv,
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    MQTT_URL: services.mqttUrl,
    // Names of this run alone: a persistent session left by an earlier run would
    // hand its backlog to this one (seen: messages enqueued 250 s after publishing).
    ...runScopedNames(`wfbench-${runId}`),
    MQTT_SESSION_EXPIRY_S: '120',
    // A measurement on the local stack, not a deployment: no production checks.
    WATCHFLOOR_ENV: 'test',
    SMTP_URL: sink.url,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  };
  const config = loadConfig(env);
  const run = await registerRun(
    {
      redisUrl: services.redisUrl,
      mqtt: { url: services.mqttUrl, username: env.MQTT_USERNAME, password: env.MQTT_PASSWORD },
    },
    { id: config.QUEUE_PREFIX, kind: 'bench', ...resourcesOfConfig(config), databaseUrl },
  );
  console.log(`[bench] run ${run.record.id}`);

  const owned: Owned = { cluster: [], pool: null, socket: null, closers: [] };
  let finishing: Promise<void> | null = null;
  /** Stops what writes to the run's prefix, then removes the run's keys, sessions and database. */
  const finish = () => {
    finishing ??= (async () => {
      owned.socket?.disconnect();
      await stopCluster(owned.cluster);
      await owned.pool?.end();
      for (const close of owned.closers) await close();
      const removed = await run.release();
      console.log(
        `[bench] removed ${removed.keys} keys, ${removed.sessions} broker sessions and database ${removed.database}`,
      );
      await services.stop();
      await sink.close();
      await receiver.close();
    })();
    return finishing;
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.log(`[bench] ${signal}: stopping and cleaning up`);
      void finish()
        .catch((error: Error) => console.error(`[bench] clean-up failed: ${error.message}`))
        .finally(() => process.exit(code));
    });
  }

  try {
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    await seed(databaseUrl);
    const reason = staleBuildReason(ROOT);
    if (reason) {
      console.log(`[bench] building the web app (${reason})`);
      await nextBuild();
    }
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', (err) => console.warn(`[bench] postgres: ${err.message}`));
    owned.pool = pool;
    await measure(
      {
        steps,
        durationS,
        runtime,
        config,
        env,
        pool,
        databaseUrl,
        statsDatabaseUrl: services.databaseUrl,
        redisUrl: services.redisUrl,
        mqttUrl: services.mqttUrl,
        sink,
        receiver,
      },
      owned,
    );
  } finally {
    await finish();
  }
}

/** What a run started and must stop before its data is removed. */
interface Owned {
  cluster: ClusterProcess[];
  pool: pg.Pool | null;
  socket: ReturnType<typeof connectSocket> | null;
  /** Further clients of the run (the profiler's). */
  closers: (() => Promise<unknown>)[];
}

/** Redis and SQL statement costs per step, read on clients of their own (closed with the run). */
async function startStepProfiler(context: MeasureContext, owned: Owned): Promise<StepProfiler> {
  const redis = new Redis(context.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', (err) => console.warn(`[bench] profiler redis: ${err.message}`));
  // pg_stat_statements lives in the stack's own database (scripts/stack/postgres.ts).
  const statsPool = new pg.Pool({ connectionString: context.statsDatabaseUrl, max: 1 });
  statsPool.on('error', (err) => console.warn(`[bench] profiler postgres: ${err.message}`));
  owned.closers.push(
    () => redis.quit(),
    () => statsPool.end(),
  );
  return stepProfiler(redis, statsPool, new URL(context.databaseUrl).pathname.slice(1));
}

/**
 * What the report measures per step: each role, this process (the simulator
 * publishing, and the measuring), and the services when they run on this
 * machine (PostgreSQL: the postmaster, its background processes and the
 * run's own backends).
 */
function processGroups(
  cluster: ClusterProcess[],
  context: MeasureContext,
  pool: pg.Pool,
): Record<string, PidSource> {
  const groups: Record<string, PidSource> = Object.fromEntries(
    cluster.map((p) => [p.name, () => [p.child.pid!]]),
  );
  groups['bench (publisher)'] = () => [process.pid];
  const postmaster = pidListeningOn(portOf(context.databaseUrl, 5432));
  const database = new URL(context.databaseUrl).pathname.slice(1);
  if (postmaster) groups.postgres = () => postgresPids(pool, postmaster, database);
  for (const [name, pid] of [
    ['redis', pidListeningOn(portOf(context.redisUrl, 6379))],
    ['mosquitto', pidListeningOn(portOf(context.mqttUrl, 1883))],
  ] as const) {
    if (pid) groups[name] = () => [pid];
  }
  return groups;
}

interface MeasureContext {
  steps: number[];
  durationS: number;
  runtime: ClusterRuntime;
  config: ReturnType<typeof loadConfig>;
  env: NodeJS.ProcessEnv;
  pool: pg.Pool;
  databaseUrl: string;
  /** The stack's own database, where pg_stat_statements is installed. */
  statsDatabaseUrl: string;
  redisUrl: string;
  mqttUrl: string;
  sink: SmtpSink;
  receiver: WebhookReceiver;
}

/** Starts the cluster (recorded in owned), runs the steps and the flood, and writes the report. */
async function measure(context: MeasureContext, owned: Owned): Promise<void> {
  const { steps, durationS, config, env, pool } = context;
  const webPort = Number(values['web-port']);
  const sites = await listSites(pool);
  await prepareEscalation(pool, context.receiver);
  const profileDir = values.profile
    ? path.join(ROOT, 'bench', 'tmp', `profile-${Date.now().toString(36)}`)
    : undefined;
  const cluster = await startCluster({
    root: ROOT,
    env,
    webPort,
    urgent: urgentQueuesSchema.parse(values['urgent-queues']),
    profileDir,
    runtime: context.runtime,
  });
  owned.cluster = cluster;
  const pids = processGroups(cluster, context, pool);
  const socket = connectSocket(`http://127.0.0.1:${webPort}`, {
    transports: ['websocket'],
    extraHeaders: { cookie: await benchAdminCookie(pool, config) },
  });
  owned.socket = socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const mqtt = {
    url: context.mqttUrl,
    username: env.MQTT_SIMULATOR_USERNAME,
    password: env.MQTT_SIMULATOR_PASSWORD,
  };

  const profiler = profileDir ? await startStepProfiler(context, owned) : null;
  const results: (StepResult & {
    processes: Record<string, ProcessUsage>;
    machine: MachineUsage;
    profile?: Awaited<ReturnType<StepProfiler['stop']>>;
  })[] = [];
  for (const rate of steps) {
    console.log(`[bench] step ${rate} msg/s for ${durationS} s`);
    await profiler?.start();
    const sampler = sampleProcesses(pids);
    const result = await runStep({
      label: String(rate),
      rate,
      durationS,
      pool,
      socket,
      sites,
      mqtt,
    });
    const usage = await sampler.stop();
    results.push({ ...result, ...usage, ...(profiler ? { profile: await profiler.stop() } : {}) });
    console.log(
      `[bench]   stored ${result.stored}/${result.published}, sustained ${result.sustainedMsgPerS} msg/s`,
    );
  }
  const floodRate = Number(values['flood-rate']);
  console.log(`[bench] SOS alerts during a ${floodRate} msg/s GPS flood`);
  const critical =
    floodRate > 0
      ? await runCriticalDuringFlood({ rate: floodRate, durationS, pool, socket, sites, mqtt })
      : null;
  const escalationRate = Number(values['escalation-rate']);
  console.log(
    `[bench] SOS escalation (e-mail, webhook) during a ${escalationRate} msg/s GPS flood`,
  );
  const escalation = await runEscalationDuringFlood({
    rate: escalationRate,
    durationS,
    pool,
    socket,
    sites,
    mqtt,
    sink: context.sink,
    receiver: context.receiver,
  });
  let cpuProfiles: CpuProfileSummary[] | null = null;
  if (profileDir) {
    // Each role writes its profile as it exits.
    await stopCluster(cluster);
    cpuProfiles = summarizeProfileDir(
      profileDir,
      cluster.map((p) => p.name),
    );
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    config: {
      runtime: context.runtime,
      positionFlushMs: config.POSITION_FLUSH_MS,
      batchMaxRows: config.DB_BATCH_MAX_ROWS,
      batchMaxWaitMs: config.DB_BATCH_MAX_WAIT_MS,
    },
    steps: results,
    criticalDuringFlood: critical,
    escalationDuringFlood: {
      ...escalation,
      urgentQueues: urgentQueuesSchema.parse(values['urgent-queues']),
    },
    cpuProfiles,
  };
  const dir = values.results ? path.resolve(values.results) : path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = report.date.replace(/[:]/g, '-').replace(/\..*$/, '');
  const markdown = renderMarkdown(report);
  for (const name of [stamp, 'latest']) {
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(dir, `${name}.md`), markdown);
  }
  console.log(`\n${markdown}`);
}

main().catch((error: Error) => {
  console.error(`[bench] failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
