/**
 * A private Redis Cluster for tests: three masters (optionally a replica
 * each) from Debian's redis-server in cluster mode, on free ports, with their
 * data in a temporary folder, joined by `redis-cli --cluster create`. The
 * shared Redis is never a cluster, so cluster tests bring their own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, portOpen } from './ports';
import { waitFor } from './wait-for';

export interface ClusterStats {
  errors: Record<string, number>;
  rejectedByCommand: Record<string, number>;
}

export interface PrivateRedisCluster {
  /** REDIS_URL for Watchfloor: every node, comma-separated. */
  url: string;
  ports: number[];
  /** Stops one node with SIGKILL (a master lost), for failover tests. */
  kill(port: number): void;
  /**
   * Errors the nodes answered so far, by kind (INFO errorstats), and the
   * commands they refused, by name (commandstats rejected_calls), each summed
   * over the nodes. MOVED means a client sent a command to a node that does
   * not hold its key (ioredis follows it, at the cost of a slot-map reload),
   * CROSSSLOT one whose keys are in several slots. Both come from one INFO
   * call per node, so a refusal is never in one count and not yet in the other.
   */
  stats(): ClusterStats;
  destroy(): Promise<void>;
}

function redisCli(args: string[]): string {
  const result = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Starts the nodes and creates the cluster; resolves once every node says cluster_state:ok. */
export async function startPrivateRedisCluster({
  replicas = 0,
}: { replicas?: 0 | 1 } = {}): Promise<PrivateRedisCluster> {
  const which = spawnSync('redis-server', ['--version']);
  if (which.status !== 0)
    throw new Error('redis-server is not installed (apt-get install redis-server)');
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-redis-cluster-'));
  const count = 3 * (1 + replicas);
  const ports: number[] = [];
  const children = new Map<number, ChildProcess>();
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    // The bus port defaults to port + 10000, which may be taken or past 65535: pick one.
    const busPort = await freePort();
    const data = path.join(dir, String(port));
    mkdirSync(data);
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--cluster-port',
        String(busPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        data,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        '2000',
        '--appendonly',
        'no',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    children.set(port, child);
    ports.push(port);
  }
  const destroy = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports)
      await waitFor(() => portOpen(port), {
        timeoutMs: 15_000,
        intervalMs: 50,
        what: `redis node ${port}`,
      });
    redisCli([
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await waitFor(
      () =>
        ports.every((port) =>
          redisCli(['-p', String(port), 'cluster', 'info']).includes('cluster_state:ok'),
        ),
      { timeoutMs: 30_000, intervalMs: 200, what: 'cluster_state:ok on every node' },
    );
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    ports,
    kill(port) {
      children.get(port)?.kill('SIGKILL');
    },
    stats() {
      const stats: ClusterStats = { errors: {}, rejectedByCommand: {} };
      const add = (totals: Record<string, number>, name: string, count: string) => {
        if (Number(count) > 0) totals[name] = (totals[name] ?? 0) + Number(count);
      };
      for (const port of ports) {
        const info = redisCli(['-p', String(port), 'info', 'errorstats', 'commandstats']);
        // Lines like `errorstat_MOVED:count=3`.
        for (const [, kind, count] of info.matchAll(/^errorstat_(\w+):count=(\d+)/gm))
          add(stats.errors, kind!, count!);
        // Lines like `cmdstat_xgroup|create:calls=4,...,rejected_calls=2,failed_calls=0`.
        for (const [, command, count] of info.matchAll(
          /^cmdstat_([\w|]+):.*rejected_calls=(\d+)/gm,
        ))
          add(stats.rejectedByCommand, command!, count!);
      }
      return stats;
    },
    destroy,
  };
}

/**
 * The cluster's stats once its error counts held still for `quietMs`: the
 * connections the processes open as they start (and the MOVED a fresh one may
 * take) are behind it, so what comes after belongs to the run.
 */
export async function settledStats(
  cluster: PrivateRedisCluster,
  { quietMs = 1_000, timeoutMs = 20_000 } = {},
): Promise<ClusterStats> {
  let previous = cluster.stats();
  return waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const current = cluster.stats();
      const quiet = JSON.stringify(current.errors) === JSON.stringify(previous.errors);
      previous = current;
      return quiet && current;
    },
    {
      timeoutMs,
      intervalMs: 0,
      what: `the cluster's error counts to hold still for ${quietMs} ms`,
    },
  );
}
