/** Long-running children (server, simulator) with prefixed output and an ordered, graceful stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ManagedChild {
  name: string;
  child: ChildProcess;
  /** Null while running; then how it ended. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL to its process group after timeoutMs. */
  stop(timeoutMs?: number): Promise<void>;
}

function pipeWithPrefix(stream: NodeJS.ReadableStream, prefix: string, out: NodeJS.WriteStream) {
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

/**
 * Starts a command in its own process group, so a terminal's Ctrl-C reaches only
 * us and we decide the order in which children stop.
 */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; prefixWidth?: number },
): ManagedChild {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = `[${name}]`.padEnd((options.prefixWidth ?? 10) + 2);
  pipeWithPrefix(child.stdout!, prefix, process.stdout);
  pipeWithPrefix(child.stderr!, prefix, process.stderr);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      process.stderr.write(`${prefix}failed to start: ${error.message}\n`);
      ended = { code: 1, signal: null };
      resolve();
    });
  });
  const stop = async (timeoutMs = 15_000) => {
    if (ended) return;
    // Only the tsx process: it relays the signal to the node process it runs,
    // and a second SIGTERM would cut the child's own graceful shutdown short.
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs),
    );
    if ((await Promise.race([exited, timer])) === 'timeout' && child.pid) {
      process.stderr.write(`${prefix}did not stop within ${timeoutMs / 1000}s, killing it\n`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      await exited;
    }
  };
  return { name, child, exit: () => ended, exited, stop };
}
