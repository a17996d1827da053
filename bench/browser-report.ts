/** Summarising and writing the browser benchmark's results (JSON + Markdown). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quantile } from '../server/metrics/quantile';
import type { ProfileEntry, ProfileSummary } from './browser-profile';

export interface Sample {
  /** Seconds since the measurement started. */
  t: number;
  fps: number;
  longTasksMs: number[];
  heapMb: number;
  guardsOnMap: number;
  /** Guard fixes the page's WebSocket received per second. */
  fixesPerS: number;
  /** CPU the page's main thread used per second of this sample. */
  mainThreadMsPerS: number;
}

export interface BrowserBenchResult {
  startedAt: string;
  guards: number;
  ratePerGuard: number;
  durationS: number;
  viewport: string;
  /** The side panel's tab during the run. */
  panel: string;
  /** Where the load came from: 'channel' (positions on the event channel) or 'mqtt' (the whole pipeline). */
  feed: string;
  browser: string;
  /** The machine is shared: its load says how much of the CPU the page could have. */
  machine: { cpus: number; loadAvg1mStart: number; loadAvg1mEnd: number };
  /** The fleet scenario's load (fleet-feed.ts), or null for guards only. */
  fleet?: {
    devices: number;
    sensors: number;
    sensorsOnMap: number;
    statusesPerS: number;
    readingsPerS: number;
  } | null;
  /** Self time by library and function, when the run was profiled (slower: not comparable). */
  profile: ProfileSummary | null;
  /**
   * CPU the page used per second of run: its main thread, its whole renderer process, and
   * the main thread's script time. On a loaded machine frames are lost waiting for a core;
   * these say what the page itself asked for.
   */
  cpuMsPerS: {
    mainThread: number;
    rendererProcess: number;
    script: number;
    /** Mean main-thread CPU in the seconds below 30 fps: low means frames waited for a core. */
    mainThreadInSlowSeconds: number | null;
  };
  /** Guard fixes per second that reached the page (mean): the load the numbers were taken under. */
  fixesPerS: number;
  fps: { mean: number; p5: number; min: number };
  longTasks: { count: number; maxMs: number; over200: number };
  heap: {
    startMb: number;
    endMb: number;
    gcStartMb: number;
    gcEndMb: number;
    slopeMbPerMin: number;
    /** Slope of the lowest heap in each window: the live data under the GC sawtooth. */
    floorSlopeMbPerMin: number;
    /** Heap right after a forced full GC, every RETAINED_EVERY_S during the run: what stays. */
    retained: { t: number; mb: number }[];
    retainedSlopeMbPerMin: number;
  };
  guardsOnMap: number;
  targets: { fps30: boolean; noLongTaskOver200: boolean; flatHeap: boolean };
  samples: Sample[];
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Windows the heap floor is taken over: a few GC cycles each at this load. */
const FLOOR_WINDOW_S = 15;

/** The lowest sampled heap in each window: where the GC sawtooth bottoms out. */
function heapFloor(samples: Sample[]): Sample[] {
  const windows = new Map<number, Sample>();
  for (const sample of samples) {
    const key = Math.floor(sample.t / FLOOR_WINDOW_S);
    const lowest = windows.get(key);
    if (!lowest || sample.heapMb < lowest.heapMb) windows.set(key, sample);
  }
  return [...windows.values()];
}

/** How often the bench forces a full GC to read the retained heap. */
export const RETAINED_EVERY_S = 30;

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Folds the per-second samples into the result. */
export function summarise(
  meta: Pick<
    BrowserBenchResult,
    | 'startedAt'
    | 'guards'
    | 'ratePerGuard'
    | 'fleet'
    | 'durationS'
    | 'viewport'
    | 'panel'
    | 'feed'
    | 'browser'
    | 'machine'
    | 'profile'
  > & { cpuMsPerS: Omit<BrowserBenchResult['cpuMsPerS'], 'mainThreadInSlowSeconds'> },
  samples: Sample[],
  retained: { t: number; mb: number }[],
): BrowserBenchResult {
  if (retained.length < 2) throw new Error('need at least two retained-heap readings');
  const gc = { startMb: retained[0]!.mb, endMb: retained[retained.length - 1]!.mb };
  // The first seconds include the initial render; frame rate counts the steady state.
  const steady = samples.filter((s) => s.t >= 5);
  const fpsValues = steady.map((s) => s.fps);
  const longTasks = samples.flatMap((s) => s.longTasksMs);
  const heap = samples.map((s) => s.heapMb);
  const slopePerMin =
    slope(
      samples.map((s) => s.t),
      heap,
    ) * 60;
  const fps = {
    mean: round(fpsValues.reduce((a, b) => a + b, 0) / Math.max(1, fpsValues.length)),
    p5: round(quantile(fpsValues, 0.05) ?? 0),
    min: round(Math.min(...fpsValues)),
  };
  const maxLong = longTasks.length ? Math.max(...longTasks) : 0;
  const floor = heapFloor(samples);
  const floorSlopePerMin =
    slope(
      floor.map((s) => s.t),
      floor.map((s) => s.heapMb),
    ) * 60;
  const retainedSlopePerMin =
    slope(
      retained.map((r) => r.t),
      retained.map((r) => r.mb),
    ) * 60;
  // Flat: after a full garbage collection the heap ends within 10 % (or 2 MB) of where it
  // started, and the trend of those readings, projected over the run, grows no more than that.
  // (The sampled floor is reported too, but it moves with whenever V8 chose to collect.)
  const tolerance = Math.max(2, gc.startMb * 0.1);
  const runMin = meta.durationS / 60;
  const flat = gc.endMb - gc.startMb <= tolerance && retainedSlopePerMin * runMin <= tolerance;
  const slow = steady.filter((s) => s.fps < 30);
  return {
    ...meta,
    cpuMsPerS: {
      ...meta.cpuMsPerS,
      mainThreadInSlowSeconds:
        slow.length > 0
          ? Math.round(slow.reduce((a, s) => a + s.mainThreadMsPerS, 0) / slow.length)
          : null,
    },
    fps,
    longTasks: {
      count: longTasks.length,
      maxMs: round(maxLong),
      over200: longTasks.filter((d) => d > 200).length,
    },
    heap: {
      startMb: round(heap[0] ?? 0),
      endMb: round(heap[heap.length - 1] ?? 0),
      gcStartMb: round(gc.startMb),
      gcEndMb: round(gc.endMb),
      slopeMbPerMin: round(slopePerMin, 2),
      floorSlopeMbPerMin: round(floorSlopePerMin, 2),
      retained: retained.map((r) => ({ t: r.t, mb: round(r.mb, 2) })),
      retainedSlopeMbPerMin: round(retainedSlopePerMin, 2),
    },
    fixesPerS: round(steady.reduce((a, s) => a + s.fixesPerS, 0) / Math.max(1, steady.length)),
    guardsOnMap: samples[samples.length - 1]?.guardsOnMap ?? 0,
    targets: { fps30: fps.mean >= 30, noLongTaskOver200: maxLong <= 200, flatHeap: flat },
    samples,
  };
}

const FEEDS: Record<string, string> = {
  channel: 'as positions on the sealed event channel (as workers publish them)',
  mqtt: 'through the whole pipeline (simulator, MQTT, queues, PostGIS)',
};

/** Writes <dir>/browser-bench[-fleet]-<stamp>.{json,md} and browser-bench[-fleet]-latest.{json,md}. */
export function writeReport(dir: string, result: BrowserBenchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const ok = (pass: boolean) => (pass ? 'met' : '**missed**');
  const md = [
    `# Browser benchmark: ${result.guards} guards at ${result.ratePerGuard} Hz` +
      (result.fleet ? `, ${result.fleet.devices} devices, ${result.fleet.sensors} sensors` : ''),
    '',
    `Started ${result.startedAt}, ${result.durationS} s, viewport ${result.viewport}, side panel on ${result.panel}, ${result.browser} (headless), load fed ${FEEDS[result.feed] ?? result.feed}. ` +
      `Guards drawn: ${result.guardsOnMap}. Fixes that reached the page: ${result.fixesPerS}/s.` +
      (result.fleet
        ? ` Fleet scenario: ${result.fleet.devices} devices (${result.fleet.statusesPerS} statuses/s) and ${result.fleet.sensors} sensors (${result.fleet.readingsPerS} readings/s, ${result.fleet.sensorsOnMap} on the map's sensor layer), fed on the event channel.`
        : ''),
    '',
    `Machine: ${result.machine.cpus} CPUs shared with the server, the simulator and other work; ` +
      `1-minute load average ${result.machine.loadAvg1mStart} at the start, ${result.machine.loadAvg1mEnd} at the end.` +
      (result.profile
        ? ' **Profiled run**: the profiler slows the page, compare only with profiled runs.'
        : ''),
    '',
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| frame rate, mean (p5, min) | ${result.fps.mean} fps (${result.fps.p5}, ${result.fps.min}) | >= 30 fps: ${ok(result.targets.fps30)} |`,
    `| long tasks (count, max) | ${result.longTasks.count}, ${result.longTasks.maxMs} ms | none over 200 ms: ${ok(result.targets.noLongTaskOver200)} (${result.longTasks.over200} over) |`,
    `| page CPU per second: main thread (script), renderer process | ${result.cpuMsPerS.mainThread} ms (${result.cpuMsPerS.script} ms), ${result.cpuMsPerS.rendererProcess} ms | |`,
    `| main thread CPU per second in the seconds below 30 fps | ${result.cpuMsPerS.mainThreadInSlowSeconds ?? '-'} ms | low: the page waited for a core |`,
    `| JS heap after a full GC, start -> end (slope) | ${result.heap.gcStartMb} -> ${result.heap.gcEndMb} MB (${result.heap.retainedSlopeMbPerMin} MB/min) | flat: ${ok(result.targets.flatHeap)} |`,
    `| JS heap after a full GC, every ${RETAINED_EVERY_S} s | ${result.heap.retained.map((r) => r.mb).join(', ')} MB | |`,
    `| JS heap floor (lowest per ${FLOOR_WINDOW_S} s), slope | ${result.heap.floorSlopeMbPerMin} MB/min | |`,
    `| JS heap sampled, start -> end (slope) | ${result.heap.startMb} -> ${result.heap.endMb} MB (${result.heap.slopeMbPerMin} MB/min) | |`,
    '',
    ...(result.profile ? profileMarkdown(result.profile) : []),
  ].join('\n');
  const files: string[] = [];
  // The fleet scenario keeps its own latest: the map bench's stays comparable with its history.
  const base = result.fleet ? 'browser-bench-fleet' : 'browser-bench';
  for (const name of [`${base}-${stamp}`, `${base}-latest`]) {
    const json = path.join(dir, `${name}.json`);
    const markdown = path.join(dir, `${name}.md`);
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(markdown, md);
    files.push(json, markdown);
  }
  return files;
}

function profileTable(title: string, entries: ProfileEntry[]): string[] {
  return [
    `| ${title} | self ms | % |`,
    '| --- | --- | --- |',
    ...entries.map((e) => `| ${e.name.replace(/\|/g, '\\|')} | ${e.selfMs} | ${e.percent} |`),
    '',
  ];
}

function profileMarkdown(profile: ProfileSummary): string[] {
  return [
    `## Where the main thread went (CPU profile, ${profile.totalMs} ms sampled)`,
    '',
    ...profileTable('source', profile.bySource),
    ...profileTable('function', profile.topFunctions),
  ];
}
