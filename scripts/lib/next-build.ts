/** Whether the Next.js production build in .next is older than its inputs, and building it. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the client bundles are made of; a change to any of them needs a new build. */
export const BUILD_INPUTS = [
  'app',
  'components',
  'public',
  'contract',
  'next.config.js',
  'package-lock.json',
];

function newestInput(file: string, after: number): string | null {
  if (!existsSync(file)) return null;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs > after ? file : null;
  for (const entry of readdirSync(file)) {
    const found = newestInput(path.join(file, entry), after);
    if (found) return found;
  }
  return null;
}

/** Why .next must be rebuilt (missing, or an input is newer), or null when it is current. */
export function staleBuildReason(root = REPO_ROOT): string | null {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return 'no build yet';
  const builtAt = statSync(buildId).mtimeMs;
  for (const input of BUILD_INPUTS) {
    const newer = newestInput(path.join(root, input), builtAt);
    if (newer) return `${path.relative(root, newer)} changed`;
  }
  return null;
}

/** Runs `next build` with the given environment, output passed through; rejects on failure. */
export function nextBuild(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'next'), ['build'], {
      cwd: REPO_ROOT,
      env,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${signal ?? `exit ${code}`})`)),
    );
  });
}
