/**
 * The processes behind the shared services, found from /proc (Linux only):
 * whoever listens on the service's TCP port, and for PostgreSQL the backends
 * that serve a run's own database (the soak's, the bench's) plus the server's own background processes
 * (backends of other databases on a shared server are not ours to count).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type pg from 'pg';

const LISTEN = '0A';

/** Socket inodes listening on a local TCP port (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== LISTEN) continue;
      const localPort = parseInt(fields[1]!.split(':').pop()!, 16);
      if (localPort === port) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** The pid listening on a local TCP port, or null (not local, or /proc not readable). */
export function pidListeningOn(port: number): number | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // The fd closed while we looked.
      }
    }
  }
  return null;
}

/** The port of a service URL (with the scheme's default). */
export function portOf(url: string, defaultPort: number): number {
  const port = new URL(url).port;
  return port ? Number(port) : defaultPort;
}

/**
 * PostgreSQL processes that are ours to count: the postmaster (given), its
 * background processes, and the client backends connected to `database`.
 */
export async function postgresPids(
  pool: pg.Pool,
  postmaster: number | null,
  database: string,
): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE backend_type <> 'client backend' OR datname = $1`,
    [database],
  );
  return [...(postmaster ? [postmaster] : []), ...rows.map((r) => r.pid)];
}
