/**
 * Debian tools a test runs (prometheus, promtool, systemd-analyze): found on
 * PATH, or installed by scripts/bootstrap.sh (which lists them), or the test
 * fails loudly saying what is missing. Never skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Makes sure every command exists, running the bootstrap once if one is missing. */
export function requireDebianTools(commands: string[]): void {
  if (commands.every(onPath)) return;
  try {
    execFileSync('bash', ['scripts/bootstrap.sh'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `${commands.filter((c) => !onPath(c)).join(', ')} missing and scripts/bootstrap.sh ` +
        `could not install them (run it as root on Debian 12):\n${output}`,
    );
  }
  const missing = commands.filter((c) => !onPath(c));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} still missing after scripts/bootstrap.sh`);
  }
}

/** Runs a command; resolves with its output, or throws with the output when it fails. */
export function runTool(command: string, args: string[], cwd = REPO_ROOT): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output}`);
  }
  return output;
}
