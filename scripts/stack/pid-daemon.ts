/**
 * What the local Redis and Mosquitto have in common: a daemon that writes its
 * pid file under .data/<service>, found again by that file (and the process
 * name, so a reused pid is not mistaken for it), reused when it runs, started
 * when it does not, refused when a stranger holds its port, and stopped with
 * SIGTERM so it saves its data first.
 */
import { isPortOpen, isProcessAlive, readPidFile, tailFile, terminate, waitUntil } from './exec';
import type { Log, ServiceHandle } from './types';

const READY_TIMEOUT_MS = 30_000;

export interface PidDaemonSpec {
  service: ServiceHandle['name'];
  /** For messages: "Redis", "Mosquitto". */
  label: string;
  /** The executable's name as /proc reports it. */
  processName: string;
  /** The env variable that points the project at another instance instead. */
  urlVariable: string;
  url: string;
  port: number;
  dataDir: string;
  pidFile: string;
  logFile: string;
}

export interface PidDaemon {
  spec: PidDaemonSpec;
  /** The daemon's pid when it runs; null otherwise. */
  runningPid(): number | null;
  /**
   * Reuses the running daemon or runs `start` (which must daemonize), then waits
   * until `ready` answers true. A port held by another process is an error.
   */
  startOrReuse(
    log: Log,
    start: () => Promise<unknown>,
    ready: () => Promise<boolean>,
  ): Promise<ServiceHandle>;
  /** SIGTERM and wait; false when it was not running. */
  stop(log: Log): Promise<boolean>;
  status(): Promise<{ running: boolean; detail: string }>;
}

/** The pid-file daemon described by spec. */
export function pidDaemon(spec: PidDaemonSpec): PidDaemon {
  const runningPid = () => {
    const pid = readPidFile(spec.pidFile);
    return pid !== null && isProcessAlive(pid, spec.processName) ? pid : null;
  };
  const stop = async (log: Log) => {
    const pid = runningPid();
    if (pid === null) return false;
    log(`stopping ${spec.label}`);
    await terminate(pid);
    return true;
  };
  return {
    spec,
    runningPid,
    stop,
    async startOrReuse(log, start, ready) {
      let origin: ServiceHandle['origin'] = 'reused';
      if (runningPid() === null) {
        if (await isPortOpen('127.0.0.1', spec.port)) {
          throw new Error(
            `Port ${spec.port} is taken by a process that is not the project's ${spec.label}. ` +
              `Stop it, or set ${spec.urlVariable} to use it.`,
          );
        }
        log(`starting ${spec.label} on 127.0.0.1:${spec.port}`);
        await start();
        origin = 'started';
      }
      await waitUntil(spec.label, ready, {
        timeoutMs: READY_TIMEOUT_MS,
        hint: tailFile(spec.logFile),
      });
      return {
        name: spec.service,
        url: spec.url,
        origin,
        stop: async () => {
          if (origin === 'started') await stop(log);
        },
      };
    },
    async status() {
      const running = runningPid() !== null && (await isPortOpen('127.0.0.1', spec.port));
      return { running, detail: `${spec.label}, data ${spec.dataDir}, port ${spec.port}` };
    },
  };
}
