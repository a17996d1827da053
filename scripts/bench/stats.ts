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

export interface ProcessUsage {
  /** Average CPU over the window, in percent of one core. */
  cpuPercent: number;
  rssMbMax: number;
}

/** Samples processes every second until stop(); returns average CPU and peak RSS per name. */
export function sampleProcesses(pids: Record<string, number>) {
  const start = new Map<string, { cpu: number; at: number }>();
  const peak = new Map<string, number>();
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const usage = readProcess(pid);
      if (!usage) continue;
      if (!start.has(name)) start.set(name, { cpu: usage.cpuSeconds, at: Date.now() });
      peak.set(name, Math.max(peak.get(name) ?? 0, usage.rssMb));
    }
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop(): Record<string, ProcessUsage> {
      clearInterval(timer);
      sample();
      const result: Record<string, ProcessUsage> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const first = start.get(name);
        const now = readProcess(pid);
        if (!first || !now) continue;
        const seconds = (Date.now() - first.at) / 1000;
        result[name] = {
          cpuPercent:
            Math.round(((now.cpuSeconds - first.cpu) / Math.max(seconds, 0.001)) * 1000) / 10,
          rssMbMax: Math.round((peak.get(name) ?? now.rssMb) * 10) / 10,
        };
      }
      return result;
    },
  };
}
