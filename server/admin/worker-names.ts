/**
 * The BullMQ Worker `name` of this process, and reading it back. BullMQ puts
 * the name into the worker's Redis client name (`<prefix>:<queue>:w:<name>`),
 * so Queue#getWorkers() shows host, pid and concurrency of every worker
 * process attached to a queue, whichever machine it runs on.
 */
import { hostname } from 'node:os';
import type { WorkerDto } from '../../contract/admin';

/** `<host>~<pid>~<concurrency>`: no spaces (Redis client names refuse them). */
export function workerName(concurrency: number, host = hostname(), pid = process.pid): string {
  return `${host.replace(/[^A-Za-z0-9_.-]/g, '_')}~${pid}~${concurrency}`;
}

/** Parses a CLIENT LIST entry of Queue#getWorkers(); unnamed workers show as "unknown". */
export function parseWorker(client: Record<string, string>): WorkerDto {
  const raw = client.rawname ?? '';
  const marker = raw.lastIndexOf(':w:');
  const age = Number(client.age);
  const ageSeconds = Number.isFinite(age) ? age : null;
  const parts = marker >= 0 ? raw.slice(marker + 3).split('~') : [];
  if (parts.length !== 3) {
    return { host: client.addr ?? 'unknown', pid: null, concurrency: null, ageSeconds };
  }
  const [host, pid, concurrency] = parts as [string, string, string];
  return { host, pid: Number(pid) || null, concurrency: Number(concurrency) || null, ageSeconds };
}
