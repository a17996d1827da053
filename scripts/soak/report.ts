/** The soak's report: JSON with every sample, and Markdown with the verdicts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SeriesVerdict } from './analysis';
import { MEMORY_FLAT_MB_PER_HOUR, type SoakSample, type sosVerdict } from './summary';

export interface SoakReport {
  startedAt: string;
  endedAt: string;
  /** Planned and actual minutes of traffic. */
  plannedMinutes: number;
  ranMinutes: number;
  /** Why the run ended early, if it did. */
  stoppedEarly: string | null;
  warmupMinutes: number;
  sampleEveryS: number;
  rate: number;
  guards: number;
  sites: number;
  machine: { cpus: number; node: string; loadAvg: number[]; browser: string };
  settings: Record<string, string | number>;
  published: number;
  acknowledged: number;
  publishFailed: number;
  sos: ReturnType<typeof sosVerdict>;
  /** Uncaught errors in the pages (any fails the run). */
  pageErrors: string[];
  verdicts: SeriesVerdict[];
  pass: boolean;
  samples: SoakSample[];
}

const cell = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : String(value);

function verdictRow(v: SeriesVerdict): string {
  const bound =
    v.bound.kind === 'flat'
      ? `slope ≤ ${v.limit} ${v.unit}/h`
      : v.bound.kind === 'no-drift'
        ? `rise ≤ ${v.limit} ${v.unit}`
        : 'reported';
  const result = v.pass === null ? '' : v.pass ? 'pass' : '**FAIL**';
  return `| ${v.name} | ${cell(v.first)} | ${cell(v.median)} | ${cell(v.last)} | ${cell(v.slopePerHour)} | ${cell(v.riseOverRun)} | ${bound} | ${result} |`;
}

/** The Markdown report. */
export function renderSoakMarkdown(report: SoakReport): string {
  const lines = [
    `# Soak ${report.startedAt}`,
    '',
    `**${report.pass ? 'PASS' : 'FAIL'}**: ${report.ranMinutes} min of mixed traffic at ${report.rate} msg/s ` +
      `(${report.guards} guards at 1 Hz on ${report.sites} sites, telemetry, duty status, sensors, gateway health, ` +
      `garbage for the quarantine, one SOS a minute acknowledged and resolved through the API), ` +
      `split roles (web, ingest, worker, worker-critical), a supervisor page and a wall page open in Chromium.`,
    '',
    report.stoppedEarly ? `Stopped early: ${report.stoppedEarly}.\n` : '',
    `Samples every ${report.sampleEveryS} s; trends (Theil-Sen slope, robust to single spikes) are taken after a ` +
      `${report.warmupMinutes}-minute warm-up. Memory must stay flat within ${MEMORY_FLAT_MB_PER_HOUR} MB/h; ` +
      `latencies and event-loop lag must not rise over the run by more than the stated amount.`,
    '',
    `The machine (${report.machine.cpus} cores, Node ${report.machine.node}, ${report.machine.browser}) is shared with ` +
      `other engineers' builds and tests (load average at the end ${report.machine.loadAvg.map((n) => n.toFixed(1)).join(' / ')}): ` +
      `absolute latencies are noisy and say little; the slopes are what this report is for. Redis and PostgreSQL are ` +
      `shared too, so the whole Redis server's memory and PostgreSQL's RSS are reported, not bounded; the soak's own ` +
      `Redis keys are measured and bounded.`,
    '',
    `Published ${report.published}, acknowledged by the broker ${report.acknowledged}, failed ${report.publishFailed}.`,
    `SOS: ${report.sos.raised} raised, ${report.sos.completed} stored, acknowledged and resolved` +
      (report.sos.publishToStoredMsMax !== null
        ? ` (publish to stored at most ${report.sos.publishToStoredMsMax} ms)`
        : '') +
      `: ${report.sos.pass ? 'pass' : '**FAIL**'}.`,
    report.pageErrors.length
      ? `Page errors (${report.pageErrors.length}): ${report.pageErrors.slice(0, 5).join('; ')}`
      : 'No page errors.',
    '',
    '| series | first | median | last | slope /h | rise over run | bound | result |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...report.verdicts.map(verdictRow),
    '',
    'Settings: ' +
      Object.entries(report.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    '',
  ];
  return lines.filter((line, i) => line !== '' || lines[i - 1] !== '').join('\n');
}

/** Writes soak-<stamp>.json/.md and soak-latest.* under dir; returns the paths. */
export function writeSoakReport(dir: string, report: SoakReport): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:]/g, '-').replace(/\..*$/, '');
  const markdown = renderSoakMarkdown(report);
  const files: string[] = [];
  for (const name of [`soak-${stamp}`, 'soak-latest']) {
    const json = path.join(dir, `${name}.json`);
    const md = path.join(dir, `${name}.md`);
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(md, markdown);
    files.push(json, md);
  }
  return files;
}
