/**
 * Where the page's main thread spends its time: a Chrome DevTools CPU profile
 * folded into self time per function and per source (React, Leaflet, our
 * code...), so a benchmark run says what to fix, not only that it is slow.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

/** The parts of a `Profiler.Profile` (Chrome DevTools Protocol) this summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by source: a library, our own code, the browser (GC, idle, rendering). */
  bySource: ProfileEntry[];
  /** The functions with the most self time. */
  topFunctions: ProfileEntry[];
}

/** The browser's own work, which the profile names with parenthesised pseudo-functions. */
const BROWSER_WORK = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Names a script by what it holds (production chunks are named by hash); see chunkLabeller. */
export type ScriptLabeller = (url: string) => string;

function sourceOf(frame: CallFrame, label: ScriptLabeller): string {
  if (BROWSER_WORK.has(frame.functionName)) return frame.functionName;
  return frame.url ? label(frame.url) : '(native)';
}

/** Libraries recognised in a chunk by a string their code always contains. */
const SIGNATURES: readonly [needle: string, name: string][] = [
  ['Minified React error', 'React'],
  ['leaflet-', 'Leaflet'],
  ['engine.io', 'Socket.IO client'],
  ['recharts', 'Recharts'],
];

/** A labeller that reads each chunk once and names the libraries it contains. */
export function chunkLabeller(readChunk: (url: string) => string | null): ScriptLabeller {
  const cache = new Map<string, string>();
  return (url) => {
    let label = cache.get(url);
    if (label === undefined) {
      const code = readChunk(url);
      const found = code ? SIGNATURES.filter(([needle]) => code.includes(needle)) : [];
      const libraries = found.map(([, name]) => name).join(' + ');
      label = `${chunkName(url)}${libraries ? ` (${libraries})` : ''}`;
      cache.set(url, label);
    }
    return label;
  };
}

/** The file name of a script URL. */
export function chunkName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1) || url;
}

function top(map: Map<string, number>, totalMs: number, count: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({
      name,
      selfMs: Math.round(ms),
      percent: Math.round((ms / Math.max(1, totalMs)) * 1000) / 10,
    }));
}

/** Folds the samples of a CPU profile into self time per source and per function. */
export function summariseProfile(
  profile: CpuProfile,
  label: ScriptLabeller = chunkName,
  count = 15,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
  for (let i = 0; i < samples.length; i += 1) {
    const node = byId.get(samples[i]!);
    const us = deltas[i + 1] ?? 0;
    if (!node || us <= 0) continue;
    totalUs += us;
    const frame = node.callFrame;
    const source = sourceOf(frame, label);
    bySource.set(source, (bySource.get(source) ?? 0) + us / 1000);
    const fn = frame.url
      ? `${frame.functionName || '(anonymous)'} ${chunkName(frame.url)}:${frame.lineNumber + 1}`
      : frame.functionName;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us / 1000);
  }
  const totalMs = totalUs / 1000;
  return {
    totalMs: Math.round(totalMs),
    bySource: top(bySource, totalMs, count),
    topFunctions: top(byFunction, totalMs, count),
  };
}
