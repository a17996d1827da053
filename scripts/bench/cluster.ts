/**
 * The Watchfloor processes a benchmark measures, one per role as they would
 * scale out: web, ingest, a worker for the bulk queues and one for the urgent
 * lanes alone, alerts and their notifications (so a GPS flood delays neither
 * an SOS nor its e-mails and webhooks). Started as plain node processes so
 * their pids are the servers themselves, each with its role's production
 * node flags (ROLE_NODE_FLAGS): by default on the compiled bundle production
 * runs (dist/server.mjs, `npm run build:server`, built here first), or on the
 * TypeScript sources through the tsx loader, to compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { QUEUE_NAMES, URGENT_QUEUES, type QueueName } from '../../server/queues/routes';
import type { Role } from '../../contract/charts';
import { buildServerBundle, ROLE_NODE_FLAGS, SERVER_BUNDLE } from '../lib/server-bundle';

/** How the roles run: the production bundle, or the sources through tsx. */
export const CLUSTER_RUNTIMES = ['bundle', 'tsx'] as const;
export type ClusterRuntime = (typeof CLUSTER_RUNTIMES)[number];

export interface ClusterOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  webPort: number;
  /** Where each role's log goes; default bench/tmp. */
  logDir?: string;
  /** The urgent worker's queues; the bulk worker takes the others. */
  urgent?: readonly QueueName[];
  /** With a directory, each role writes a V8 CPU profile into `<dir>/<role>/` when it exits. */
  profileDir?: string;
  runtime?: ClusterRuntime;
}

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  log: string;
}

/** Starts the role processes and waits until each logs that it started. */
export async function startCluster({
  root,
  env,
  webPort,
  logDir = path.join(root, 'bench', 'tmp'),
  urgent = URGENT_QUEUES,
  profileDir,
  runtime = 'bundle',
}: ClusterOptions): Promise<ClusterProcess[]> {
  if (runtime === 'bundle') await buildServerBundle();
  const entry = runtime === 'bundle' ? [SERVER_BUNDLE] : ['--import', 'tsx', 'server/index.ts'];
  const bulk = QUEUE_NAMES.filter((q) => !urgent.includes(q));
  const roles: { name: string; role: Role; env: Record<string, string> }[] = [
    { name: 'web', role: 'web', env: { PORT: String(webPort), HOST: '127.0.0.1' } },
    {
      name: 'worker-critical',
      role: 'worker',
      env: { WORKER_QUEUES: urgent.join(','), WORKER_CONCURRENCY: '20' },
    },
    { name: 'worker', role: 'worker', env: { WORKER_QUEUES: bulk.join(',') } },
    { name: 'ingest', role: 'ingest', env: {} },
  ];
  mkdirSync(logDir, { recursive: true });
  const processes = roles.map(({ name, role, env: roleEnv }) => {
    const log = path.join(logDir, `${name}.log`);
    const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, name)] : [];
    const child = spawn(process.execPath, [...profile, ...ROLE_NODE_FLAGS[role], ...entry], {
      cwd: root,
      env: { ...env, ...roleEnv, ROLES: role, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(log);
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return { name, child, log };
  });
  try {
    await Promise.all(processes.map((p) => waitForStart(p)));
  } catch (error) {
    // One role failed to start: the others must not outlive the bench.
    await stopCluster(processes);
    throw error;
  }
  return processes;
}

function waitForStart({ name, child, log }: ClusterProcess, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${timeoutMs / 1000}s; see ${log}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes('watchfloor started')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before starting; see ${log}`));
    });
  });
}

/** SIGTERM to every process, in reverse order of start; waits for each to exit. */
export async function stopCluster(processes: ClusterProcess[]): Promise<void> {
  for (const { child } of [...processes].reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
