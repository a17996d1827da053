/**
 * A benchmark leaves nothing on the shared services: after a short run, and
 * after one interrupted with Ctrl-C (SIGINT to its process group) in the
 * middle of a step, Redis holds no key of its queue prefix, the run registry
 * no entry of it and PostgreSQL no database of it. In the e2e project: the
 * benchmark's web process serves the production build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_REGISTRY_KEY } from '../../scripts/lib/run-registry';
import { withClient, withDatabase } from '../../scripts/stack/database';
import { freePort } from '../helpers/ports';
import { requireServiceEnv } from './harness';
import { REPO_ROOT } from './processes';
import { waitFor } from './wait-for';

const RUN_TIMEOUT_MS = 400_000;

interface BenchRun {
  output(): string;
  /** The run's id (its queue prefix), once printed. */
  id(): string | null;
  exited: Promise<number | string>;
  /** The exit code (or signal) once it ended, null while it runs. */
  exitCode(): number | string | null;
  interrupt(): void;
}

function startBench(resultsDir: string, port: number): BenchRun {
  // As `npm run bench:ingest` runs it: tsx as a loader (the tsx CLI would SIGKILL it mid-clean-up).
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/bench/run.ts',
      '--steps',
      '100',
      '--duration',
      '2',
      '--flood-rate',
      '100',
      '--results',
      resultsDir,
      '--web-port',
      String(port),
    ],
    { cwd: REPO_ROOT, env: process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-50_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitCode: number | string | null = null;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal ?? 'unknown';
      resolve(exitCode);
    }),
  );
  return {
    output: () => output,
    id: () => output.match(/\[bench\] run (\S+)/)?.[1] ?? null,
    exited,
    exitCode: () => exitCode,
    // Ctrl-C in a terminal: SIGINT to the whole process group.
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
  };
}

describe('benchmark clean-up', () => {
  const services = requireServiceEnv();
  let redis: Redis;
  let resultsDir: string;

  beforeAll(() => {
    redis = new Redis(services.REDIS_URL);
    redis.on('error', () => undefined);
    resultsDir = mkdtempSync(path.join(tmpdir(), 'wf-bench-'));
  });

  afterAll(() => {
    redis.disconnect();
    rmSync(resultsDir, { recursive: true, force: true });
  });

  const keysOf = async (prefix: string) => {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  };
  const databaseExists = (name: string) =>
    withClient(withDatabase(services.DATABASE_URL, 'postgres'), async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        name,
      ]);
      return rowCount === 1;
    });
  const expectNothingLeft = async (id: string) => {
    expect(await keysOf(id)).toBe(0);
    expect(await redis.hexists(RUN_REGISTRY_KEY, id)).toBe(0);
    expect(await databaseExists(`watchfloor_bench_${id.replace('wfbench-', '')}`)).toBe(false);
  };

  it(
    'removes its queue keys, registry entry and database after a short run',
    async () => {
      const bench = startBench(resultsDir, await freePort());
      const code = await bench.exited;
      expect(code, bench.output()).toBe(0);
      const id = bench.id();
      expect(id).toMatch(/^wfbench-/);
      expect(bench.output()).toMatch(/stored \d+\/\d+/);
      expect(bench.output()).toMatch(/removed \d+ keys/);
      await expectNothingLeft(id!);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'removes them too when interrupted in the middle of a step',
    async () => {
      const bench = startBench(resultsDir, await freePort());
      await waitFor('the benchmark’s first step', () => /\[bench\] step/.test(bench.output()), {
        timeoutMs: RUN_TIMEOUT_MS,
        intervalMs: 200,
        abortIf: () => {
          const code = bench.exitCode();
          return code === null ? null : `the benchmark exited (${code}):\n${bench.output()}`;
        },
      });
      const id = bench.id()!;
      // The run has data at this point: what follows proves it was removed.
      expect(await keysOf(id)).toBeGreaterThan(0);
      bench.interrupt();
      expect(await bench.exited, bench.output()).toBe(130);
      await expectNothingLeft(id);
    },
    RUN_TIMEOUT_MS,
  );
});
