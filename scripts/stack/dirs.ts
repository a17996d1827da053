/**
 * Where each local service keeps its data: `.data/<service>/` in the repository,
 * owned by the service's OS user when we run as root.
 */
import { createHash } from 'node:crypto';
import { chownSync, existsSync, lstatSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRoot, runSync } from './exec';

/** Absolute path of the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the git-ignored data folder. */
export const DATA_ROOT = path.join(REPO_ROOT, '.data');

function userIds(user: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`OS user "${user}" does not exist: run scripts/bootstrap.sh first`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Returns the folder for a service's files, created and owned by osUser (when root).
 * If osUser cannot reach the repository (a clone under a 0700 home or mktemp folder),
 * the folder lives under /var/tmp instead and `.data/<service>` links to it.
 */
export function serviceDir(service: string, osUser?: string): string {
  mkdirSync(DATA_ROOT, { recursive: true, mode: 0o755 });
  const inRepo = path.join(DATA_ROOT, service);
  if (!osUser || !isRoot()) {
    mkdirSync(inRepo, { recursive: true });
    return inRepo;
  }
  let dir = inRepo;
  if (existsSync(inRepo) && lstatSync(inRepo).isSymbolicLink()) {
    dir = realpathSync(inRepo);
  } else if (runSync('test', ['-x', DATA_ROOT], osUser) !== 0) {
    const key = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
    dir = path.join('/var/tmp', `watchfloor-${key}`, service);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (!existsSync(inRepo)) symlinkSync(dir, inRepo);
  }
  mkdirSync(dir, { recursive: true });
  const { uid, gid } = userIds(osUser);
  chownSync(dir, uid, gid);
  return dir;
}

/** Creates a sub-folder of a service folder with the same owner and the given mode. */
export function ownedSubdir(parent: string, name: string, osUser?: string, mode = 0o700): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true, mode });
  if (osUser && isRoot()) {
    const { uid, gid } = userIds(osUser);
    chownSync(dir, uid, gid);
  }
  return dir;
}
