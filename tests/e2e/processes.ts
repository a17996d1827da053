/**
 * Child processes for e2e tests: each runs in its own process group so that
 * stopping it also stops whatever it spawned (tsx runs the script in a child
 * node process), and its output goes to a log file plus a short in-memory tail
 * that failures can quote.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const TAIL_LINES = 40;

export interface ManagedProcess {
  name: string;
  logFile: string;
  /** Null while running; the exit code (or signal name) once it ended. */
  exit(): string | null;
  /** The last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM to the whole group, SIGKILL if it has not exited after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs `tsx <args>` from the repository root with the given environment. */
export function startTsx(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): ManagedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  const child = spawn(process.execPath, [TSX_CLI, ...args], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exitState: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitState = signal ?? String(code);
      resolve();
    });
  });
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  return {
    name,
    logFile,
    exit: () => exitState,
    tail: () => lines.join('\n'),
    async stop(graceMs = 15_000) {
      if (exitState === null) {
        signalGroup('SIGTERM');
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        });
        if (await Promise.race([exited.then(() => false), timedOut])) {
          signalGroup('SIGKILL');
          await exited;
        }
        clearTimeout(timer);
      }
      // Grandchildren that outlived their parent still belong to the group.
      signalGroup('SIGKILL');
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}
