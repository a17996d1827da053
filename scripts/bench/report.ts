/** The Markdown table of a benchmark run, with the targets of the ingestion issue beside the figures. */
import type { CriticalFloodResult } from './critical-flood';
import type { StepResult } from './measure';
import type { LatencySummary, ProcessUsage } from './stats';

export interface BenchReport {
  date: string;
  machine: { cores: number; node: string };
  config: Record<string, number>;
  steps: (StepResult & { processes: Record<string, ProcessUsage> })[];
  criticalDuringFlood: CriticalFloodResult;
}

const ms = (s: LatencySummary) => (s.count === 0 ? 'n/a' : `${s.p50} / ${s.p95} / ${s.p99}`);

/** Renders the report as Markdown. */
export function renderMarkdown(report: BenchReport): string {
  const lines = [
    `# Ingestion benchmark, ${report.date}`,
    '',
    `${report.machine.cores} cores, Node ${report.machine.node}; every service and process on this one machine. ` +
      `Config: ${Object.entries(report.config)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}.`,
    'Latencies are milliseconds from the device publishing (QoS 1) to: the job on its queue, the row committed in PostGIS, the event at a Socket.IO client; p50 / p95 / p99.',
    '',
    '| target msg/s | published | stored | lost | dup | sustained msg/s | -> enqueued | -> committed | -> Socket.IO | drain s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |',
    ...report.steps.map(
      (s) =>
        `| ${s.targetRate} | ${s.published} | ${s.stored} | ${s.lost} | ${s.duplicates} | ${s.sustainedMsgPerS} | ${ms(s.publishToEnqueuedMs)} | ${ms(s.publishToCommittedMs)} | ${ms(s.publishToSocketMs)} | ${s.drainS} |`,
    ),
    '',
    '## CPU and memory per process (average CPU % of one core / peak RSS MB)',
    '',
    `| target msg/s | ${Object.keys(report.steps[0]?.processes ?? {}).join(' | ')} |`,
    `| ---: | ${Object.keys(report.steps[0]?.processes ?? {})
      .map(() => '---')
      .join(' | ')} |`,
    ...report.steps.map(
      (s) =>
        `| ${s.targetRate} | ${Object.values(s.processes)
          .map((p) => `${p.cpuPercent}% / ${p.rssMbMax} MB`)
          .join(' | ')} |`,
    ),
    '',
    '## Critical alerts during a GPS flood',
    '',
    `GPS flood at ${report.criticalDuringFlood.flood.targetRate} msg/s target (sustained ${report.criticalDuringFlood.flood.sustainedMsgPerS}, stored ${report.criticalDuringFlood.flood.stored}/${report.criticalDuringFlood.flood.published}); ` +
      `SOS every 250 ms at QoS 2: ${report.criticalDuringFlood.sosReceived}/${report.criticalDuringFlood.sosPublished} received, ` +
      `publish -> Socket.IO p50 / p95 / p99 = ${ms(report.criticalDuringFlood.sosPublishToSocketMs)} ms (max ${report.criticalDuringFlood.sosPublishToSocketMs.max}).`,
    '',
    '## Targets (issue: ingestion pipeline)',
    '',
    '- zero loss at every step; at least 5,000 msg/s sustained;',
    '- at 1,000 msg/s: p99 publish -> enqueued <= 10 ms, -> committed <= 50 ms, -> Socket.IO <= 75 ms;',
    '- SOS p99 <= 100 ms during a 5,000 msg/s GPS flood; ingest process RSS <= 128 MB.',
    '',
  ];
  return lines.join('\n');
}
