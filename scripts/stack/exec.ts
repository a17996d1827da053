/**
 * Process helpers for the local services: run a command (optionally as a service's
 * OS user), check pids and ports, and wait for a condition with a clear timeout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** True when this process runs as root and must switch user for PostgreSQL and Mosquitto. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Prefixes a command with `runuser -u <user> --` when running as root, so services never run as root. */
export function asUser(user: string | undefined, cmd: string, args: string[]): [string, string[]] {
  if (user && isRoot()) return ['runuser', ['-u', user, '--', cmd, ...args]];
  return [cmd, args];
}

export interface RunResult {
  code: number;
  output: string;
}

/**
 * Runs a command to completion and returns its combined output; rejects on a
 * non-zero exit unless allowFailure is set.
 */
export function run(
  cmd: string,
  args: string[],
  options: { user?: string; allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  const [file, argv] = asUser(options.user, cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      const exitCode = code ?? 1;
      if (exitCode !== 0 && !options.allowFailure) {
        reject(new Error(`${[cmd, ...args].join(' ')} exited with ${exitCode}:\n${output.trim()}`));
      } else {
        resolve({ code: exitCode, output });
      }
    };
    // Daemonizing commands (pg_ctl start) can leave a grandchild holding the pipes,
    // so 'close' may never come: settle shortly after 'exit' as well.
    child.on('exit', (code) => setTimeout(() => finish(code), 100));
    child.on('close', (code) => finish(code));
  });
}

/** Synchronous variant for quick checks; returns the exit code (-1 when the command is missing). */
export function runSync(cmd: string, args: string[], user?: string): number {
  const [file, argv] = asUser(user, cmd, args);
  const result = spawnSync(file, argv, { stdio: 'ignore' });
  return result.status ?? -1;
}

/** Reads a pid file's first line; null when missing or unreadable. */
export function readPidFile(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * True when the pid is alive and, where /proc exists, runs the expected program;
 * the name check protects against a stale pid file whose pid was reused.
 */
export function isProcessAlive(pid: number, expectedName?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!expectedName) return true;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(expectedName);
  } catch {
    return true;
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves after ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls check() until it returns true; throws a descriptive error after timeoutMs,
 * including the last failure so the cause is visible (refused, timed out, ...).
 * An error with `fatal: true` ends the wait at once.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; hint?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      // Waiting cannot fix a wrong password or a missing database.
      if ((error as { fatal?: boolean }).fatal) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(options.intervalMs ?? 250);
  }
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  const hint = options.hint ? `\n${options.hint}` : '';
  throw new Error(`${what} was not ready after ${options.timeoutMs / 1000}s${reason}${hint}`);
}

/** Sends SIGTERM and waits for the process to exit; SIGKILL after timeoutMs. */
export async function terminate(pid: number, timeoutMs = 15000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isProcessAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
}

/** Last lines of a log file, for error messages; empty when unreadable. */
export function tailFile(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
