/**
 * A lock across processes for starting and stopping one local service, so two
 * runs that start at once (a test run and the demo) do not both try to start it.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from './dirs';
import { isProcessAlive, readPidFile, sleep } from './exec';

/** A lock whose holder wrote no pid within this time was abandoned mid-creation. */
const UNCLAIMED_STALE_MS = 5_000;

function tryAcquire(lock: string): boolean {
  try {
    // mkdir is atomic: exactly one process creates the folder.
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return true;
}

function isStale(lock: string): boolean {
  const holder = readPidFile(path.join(lock, 'pid'));
  if (holder !== null) return !isProcessAlive(holder);
  try {
    return Date.now() - statSync(lock).mtimeMs > UNCLAIMED_STALE_MS;
  } catch {
    return false;
  }
}

/** Runs fn holding the named lock; waits while another live process holds it. */
export async function withServiceLock<T>(
  name: string,
  fn: () => Promise<T>,
  timeoutMs = 180_000,
): Promise<T> {
  const dir = path.join(DATA_ROOT, 'locks');
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lock)) {
    if (isStale(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${lock}: another run is starting or stopping ${name}`);
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
