/** Latency summaries and process samples for benchmark reports. */
import { readFileSync } from 'node:fs';
import { quantileOfSorted } from '../../server/metrics/quantile';

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** p50/p95/p99/max of latencies in milliseconds, rounded to 0.1 ms (sorted once: runs hold 100k+ values). */
export function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    p50: round(quantileOfSorted(sorted, 0.5)),
    p95: round(quantileOfSorted(sorted, 0.95)),
    p99: round(quantileOfSorted(sorted, 0.99)),
    max: round(quantileOfSorted(sorted, 1)),
  };
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_KB = 4;

/** CPU seconds used and resident memory of a process, from /proc; null once it has exited. */
export function readProcess(pid: number): { cpuSeconds: number; rssMb: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces, inside parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssMb: (rssPages * PAGE_KB) / 1024 };
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine (every core) since boot, from /proc/stat. */
export function readMachineCpuSeconds(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = first
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
}

export interface ProcessUsage {
  /** Average CPU over the window, in percent of one core. */
  cpuPercent: number;
  rssMbMax: number;
}

export interface MachineUsage {
  /** Average busy CPU of the whole machine over the window, in percent of one core. */
  cpuPercent: number;
  /** Busy CPU-seconds of the whole machine over the window. */
  cpuSeconds: number;
}

/** The pids of one named group (a role, or a service with its helper processes), read at each sample. */
export type PidSource = () => number[] | Promise<number[]>;

/**
 * Samples groups of processes every second until stop(): average CPU and peak
 * RSS per group, and the whole machine's busy CPU. A group's pids may change
 * between samples (PostgreSQL backends come and go): each pid's CPU counts
 * from the first sample that saw it to the last.
 */
export function sampleProcesses(groups: Record<string, PidSource>) {
  const cpu = new Map<string, Map<number, { first: number; last: number }>>();
  const peak = new Map<string, number>();
  const startedAt = Date.now();
  const machineStart = readMachineCpuSeconds();
  const sample = async () => {
    for (const [name, source] of Object.entries(groups)) {
      let pids: number[];
      try {
        // A source that answers at once is read at once: the first sample is the step's start.
        const answer = source();
        pids = Array.isArray(answer) ? answer : await answer;
      } catch {
        continue; // A source that cannot answer now (a database restart) answers next time.
      }
      const seen = cpu.get(name) ?? new Map<number, { first: number; last: number }>();
      cpu.set(name, seen);
      let rss = 0;
      for (const pid of pids) {
        const usage = readProcess(pid);
        if (!usage) continue;
        rss += usage.rssMb;
        const known = seen.get(pid);
        if (known) known.last = usage.cpuSeconds;
        else seen.set(pid, { first: usage.cpuSeconds, last: usage.cpuSeconds });
      }
      if (rss > 0) peak.set(name, Math.max(peak.get(name) ?? 0, rss));
    }
  };
  let pending = sample();
  const timer = setInterval(() => {
    pending = pending.then(sample);
  }, 1000);
  const percentOf = (cpuSeconds: number, seconds: number) =>
    Math.round((cpuSeconds / Math.max(seconds, 0.001)) * 1000) / 10;
  return {
    async stop(): Promise<{ processes: Record<string, ProcessUsage>; machine: MachineUsage }> {
      clearInterval(timer);
      await pending;
      await sample();
      const seconds = (Date.now() - startedAt) / 1000;
      const processes: Record<string, ProcessUsage> = {};
      for (const name of Object.keys(groups)) {
        const seen = cpu.get(name);
        if (!seen || seen.size === 0) continue;
        let used = 0;
        for (const { first, last } of seen.values()) used += last - first;
        processes[name] = {
          cpuPercent: percentOf(used, seconds),
          rssMbMax: Math.round((peak.get(name) ?? 0) * 10) / 10,
        };
      }
      const machineSeconds = readMachineCpuSeconds() - machineStart;
      return {
        processes,
        machine: {
          cpuPercent: percentOf(machineSeconds, seconds),
          cpuSeconds: Math.round(machineSeconds * 100) / 100,
        },
      };
    },
  };
}
