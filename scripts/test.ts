/**
 * The whole check, as CI runs it (`npm test`, after scripts/bootstrap.sh): services
 * up, a migrated test database, then typecheck, lint, format, unit, integration,
 * build and e2e, stopping at the first failure, with a summary table at the end.
 *
 * CLI: tsx scripts/test.ts [step ...]   (no step: all of them, in order)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, MigrationError } from './migrate';
import { staleBuildReason } from './lib/next-build';
import {
  dropDatabase,
  ensureDatabase,
  ensureServices,
  withDatabase,
  type Services,
} from './stack/index';
import { runCli } from './lib/run-cli';
import { removeDeadRuns } from './lib/run-registry';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Tests get a database of their own on the same server, never the demo's data.
 * WATCHFLOOR_TEST_DATABASE names another, so parallel checkouts sharing one
 * local stack do not migrate and clean each other's test database.
 */
const TEST_DATABASE = process.env.WATCHFLOOR_TEST_DATABASE ?? 'watchfloor_test';

interface Step {
  name: string;
  bin: string;
  args: string[];
  /** Needs PostgreSQL, Redis and Mosquitto (and the test database). */
  services: boolean;
}

/** Where each vitest step writes its JSON report, so the summary can count tests. */
const reportOf = (project: string) =>
  path.join(REPO_ROOT, 'test-results', `vitest-${project}.json`);
const vitest = (project: string) => [
  'run',
  '--project',
  project,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportOf(project)}`,
];

const STEPS: Step[] = [
  { name: 'typecheck', bin: 'tsc', args: ['--noEmit'], services: false },
  { name: 'lint', bin: 'eslint', args: ['.'], services: false },
  { name: 'format:check', bin: 'prettier', args: ['--check', '.'], services: false },
  { name: 'unit', bin: 'vitest', args: vitest('unit'), services: false },
  { name: 'integration', bin: 'vitest', args: vitest('integration'), services: true },
  { name: 'build', bin: 'next', args: ['build'], services: false },
  { name: 'e2e', bin: 'vitest', args: vitest('e2e'), services: true },
];

/** Passed/failed/skipped tests of the vitest steps that ran (from their JSON reports). */
function countTests(outcomes: Outcome[]): { passed: number; failed: number; skipped: number } {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) {
    if (o.result === 'skipped' || !['unit', 'integration', 'e2e'].includes(o.step)) continue;
    try {
      const report = JSON.parse(readFileSync(reportOf(o.step), 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      };
      total.passed += report.numPassedTests;
      total.failed += report.numFailedTests;
      total.skipped += report.numPendingTests + report.numTodoTests;
    } catch {
      // No report: the step failed before vitest wrote one; the step line says so.
    }
  }
  return total;
}

interface Outcome {
  step: string;
  result: 'pass' | 'fail' | 'skipped';
  seconds: number;
}

let current: ChildProcess | null = null;

function runStep(step: Step, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    console.log(`\n[test] ▶ ${step.name}: ${step.bin} ${step.args.join(' ')}`);
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', step.bin), step.args, {
      cwd: REPO_ROOT,
      env,
      stdio: 'inherit',
    });
    current = child;
    child.on('error', (error) => {
      console.error(`[test] ${step.name}: ${error.message}`);
      resolve(false);
    });
    child.on('exit', (code) => {
      current = null;
      resolve(code === 0);
    });
  });
}

/** The steps to run: the named ones, plus a build before e2e when .next is stale. */
function selectSteps(names: string[]): Step[] {
  if (names.length === 0) return STEPS;
  const unknown = names.filter((name) => !STEPS.some((step) => step.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown step ${unknown.join(', ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`,
    );
  }
  const wanted = new Set(names);
  if (wanted.has('e2e') && !wanted.has('build') && staleBuildReason()) wanted.add('build');
  return STEPS.filter((step) => wanted.has(step.name));
}

function printSummary(outcomes: Outcome[]): void {
  const width = Math.max(...outcomes.map((o) => o.step.length), 4) + 2;
  console.log(`\n${'step'.padEnd(width)}result   seconds`);
  for (const o of outcomes) {
    const seconds = o.result === 'skipped' ? '' : o.seconds.toFixed(1).padStart(7);
    console.log(`${o.step.padEnd(width)}${o.result.padEnd(9)}${seconds}`);
  }
  const count = (result: Outcome['result']) => outcomes.filter((o) => o.result === result).length;
  const skipped = count('skipped');
  console.log(
    `steps: ${count('pass')} passed, ${count('fail')} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
  // Plain closing line, readable by anything that counts results: the tests themselves.
  const tests = countTests(outcomes);
  console.log(
    `tests: ${tests.passed} passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ''}`,
  );
}

/**
 * Creates and migrates the test database. Its data is disposable, so when its
 * history disagrees with the files (a migration edited before it was merged),
 * it is dropped and rebuilt instead of failing as a real database would.
 */
async function migrateTestDatabase(url: string): Promise<{ applied: string[] }> {
  await ensureDatabase(url);
  try {
    return await migrate(url);
  } catch (error) {
    if (!(error instanceof MigrationError) || error.code === 'APPLY_FAILED') throw error;
    console.log(`[test] ${error.message}\n[test] recreating ${TEST_DATABASE}`);
    await dropDatabase(url);
    await ensureDatabase(url);
    return migrate(url);
  }
}

/**
 * Removes what test runs that ended without their clean-up left (queue keys,
 * scratch databases, broker sessions), pass, fail or Ctrl-C; never data of a
 * run still going (scripts/lib/run-registry.ts).
 */
async function removeLeftovers(services: Services): Promise<void> {
  try {
    const { removed } = await removeDeadRuns({
      redisUrl: services.redisUrl,
      mqtt: {
        url: services.mqttUrl,
        username: services.mqttEnv.MQTT_USERNAME ?? process.env.MQTT_USERNAME,
        password: services.mqttEnv.MQTT_PASSWORD ?? process.env.MQTT_PASSWORD,
      },
    });
    if (removed.length > 0) console.log(`[test] removed the data of ${removed.length} ended runs`);
  } catch (error) {
    console.error(`[test] clean-up of ended runs failed: ${(error as Error).message}`);
  }
}

/** Runs the selected steps; resolves to the process exit code. */
async function main(names: string[]): Promise<number> {
  const steps = selectSteps(names);
  let services: Services | null = null;
  const stopServices = async () => {
    const started = services;
    services = null;
    if (started) await removeLeftovers(started);
    await started?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n[test] ${signal}: stopping`);
    current?.kill('SIGTERM');
    void stopServices().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // vitest.config.ts is TypeScript in a package without "type": "module"; that is intended.
      VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
    };
    if (steps.some((step) => step.services)) {
      services = await ensureServices();
      const databaseUrl = withDatabase(services.databaseUrl, TEST_DATABASE);
      const { applied } = await migrateTestDatabase(databaseUrl);
      console.log(`[test] ${TEST_DATABASE}: ${applied.length} migrations applied`);
      Object.assign(env, {
        DATABASE_URL: databaseUrl,
        REDIS_URL: services.redisUrl,
        MQTT_URL: services.mqttUrl,
        // The broker refuses anonymous clients: the server, tests and simulator get credentials.
        ...services.mqttEnv,
      });
    }

    const outcomes: Outcome[] = [];
    let failed = false;
    for (const step of steps) {
      if (failed) {
        outcomes.push({ step: step.name, result: 'skipped', seconds: 0 });
        continue;
      }
      const started = performance.now();
      const ok = await runStep(step, env);
      outcomes.push({
        step: step.name,
        result: ok ? 'pass' : 'fail',
        seconds: (performance.now() - started) / 1000,
      });
      failed = !ok;
    }
    printSummary(outcomes);
    return failed ? 1 : 0;
  } finally {
    await stopServices();
  }
}

runCli('test', main);
