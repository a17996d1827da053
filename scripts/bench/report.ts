/** The Markdown table of a benchmark run, with the targets of the ingestion issue beside the figures. */
import type { CriticalFloodResult } from './critical-flood';
import type { EscalationFloodResult } from './escalation-flood';
import type { StepResult } from './measure';
import { URGENT_QUEUES, routeFor } from '../../server/queues/routes';
import type { LatencySummary, MachineUsage, ProcessUsage } from './stats';
import type { CpuProfileSummary, StepProfiler } from './profile';

export interface BenchReport {
  date: string;
  machine: { cores: number; node: string };
  config: Record<string, number | string>;
  steps: (StepResult & {
    processes: Record<string, ProcessUsage>;
    machine?: MachineUsage;
    /** With --profile: the step's costliest Redis commands and SQL statements. */
    profile?: Awaited<ReturnType<StepProfiler['stop']>>;
  })[];
  criticalDuringFlood: CriticalFloodResult | null;
  /** With the queues of the urgent worker (the others run in the bulk worker, beside the flood). */
  escalationDuringFlood: EscalationFloodResult & { urgentQueues?: string[] };
  /** With --profile: where each role's CPU went over the whole run. */
  cpuProfiles?: CpuProfileSummary[] | null;
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
    ...stepLines(report),
    ...floodLines(report),
    ...profileLines(report),
  ];
  return lines.join('\n');
}

/** The stepped-rate tables, or one line when the run had no steps. */
function stepLines(report: BenchReport): string[] {
  if (report.steps.length === 0) return ["Stepped rates skipped (--steps '')."];
  const names = [...new Set(report.steps.flatMap((s) => Object.keys(s.processes)))];
  return [
    '| target msg/s | published | stored | lost | dup | sustained msg/s | -> enqueued | -> committed | -> Socket.IO | drain s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |',
    ...report.steps.map(
      (s) =>
        `| ${s.targetRate} | ${s.published} | ${s.stored} | ${s.lost} | ${s.duplicates} | ${s.sustainedMsgPerS} | ${ms(s.publishToEnqueuedMs)} | ${ms(s.publishToCommittedMs)} | ${ms(s.publishToSocketMs)} | ${s.drainS} |`,
    ),
    '',
    '## CPU and memory per process (average CPU % of one core / peak RSS MB)',
    '',
    'The whole machine column is its busy CPU over the step (all processes, not only these) and',
    'CPU-seconds per 1,000 messages stored in the step. PostgreSQL is the postmaster, its background',
    "processes and this run's backends; its RSS is their sum, so shared buffers count once per process.",
    '',
    `| target msg/s | ${names.join(' | ')} | whole machine |`,
    `| ---: | ${names.map(() => '---').join(' | ')} | --- |`,
    ...report.steps.map(
      (s) =>
        `| ${s.targetRate} | ${names
          .map((name) => s.processes[name])
          .map((p) => (p ? `${p.cpuPercent}% / ${p.rssMbMax} MB` : 'n/a'))
          .join(' | ')} | ${machineCell(s)} |`,
    ),
  ];
}

/** The machine's busy CPU in a step, and what 1,000 stored messages cost it. */
function machineCell(step: BenchReport['steps'][number]): string {
  if (!step.machine) return 'n/a';
  const perThousand =
    step.stored > 0 ? (step.machine.cpuSeconds / (step.stored / 1000)).toFixed(2) : 'n/a';
  return `${step.machine.cpuPercent}% / ${perThousand} CPU-s per 1,000 msg`;
}

/** Everything after the stepped rates. */
function floodLines(report: BenchReport): string[] {
  return [
    '',
    '## Critical alerts during a GPS flood',
    '',
    ...criticalLines(report.criticalDuringFlood),
    '',
    '## Escalation during a GPS flood',
    '',
    ...escalationLines(report.escalationDuringFlood),
    '',
    '## Targets (issue: twice the throughput)',
    '',
    '- zero loss and zero duplicates at every step; at least 5,000 msg/s sustained (aim 8,000);',
    '- at 1,000 msg/s: p99 publish -> enqueued <= 10 ms, -> committed <= 50 ms, -> Socket.IO <= 75 ms;',
    '- at 3,000 msg/s: p99 publish -> Socket.IO <= 150 ms;',
    '- SOS p99 <= 100 ms during a 5,000 msg/s GPS flood;',
    '- peak RSS: ingest <= 128 MB, worker <= 200 MB, web <= 200 MB.',
    '',
  ];
}

function criticalLines(c: CriticalFloodResult | null): string[] {
  if (!c) return ['Skipped (--flood-rate 0).'];
  return [
    `GPS flood at ${c.flood.targetRate} msg/s target (sustained ${c.flood.sustainedMsgPerS}, stored ${c.flood.stored}/${c.flood.published}); ` +
      `SOS every 250 ms at QoS 2: ${c.sosReceived}/${c.sosPublished} received, ` +
      `publish -> Socket.IO p50 / p95 / p99 = ${ms(c.sosPublishToSocketMs)} ms (max ${c.sosPublishToSocketMs.max}).`,
    ...(c.sosPublishToIngestMs && c.sosIngestToSocketMs
      ? [
          '',
          `Where it went: publish -> received by the ingest (Mosquitto, QoS 2 handshake) ${ms(c.sosPublishToIngestMs)} ms; ` +
            `received -> Socket.IO (queue, worker, PostGIS, event, web) ${ms(c.sosIngestToSocketMs)} ms.`,
        ]
      : []),
  ];
}

function escalationLines(e: BenchReport['escalationDuringFlood']): string[] {
  const urgent = e.urgentQueues ?? [...URGENT_QUEUES];
  const lane = ['send_escalation_email', 'deliver_webhook'].every((t) =>
    urgent.includes(routeFor(t).queue),
  )
    ? `Steps, e-mails and webhooks run in the urgent worker (queues ${urgent.join(', ')}), apart from the flood.`
    : `E-mails and webhooks run in the bulk worker beside the flood (urgent worker: ${urgent.join(', ')}).`;
  return [
    `GPS flood at ${e.flood.targetRate} msg/s target (sustained ${e.flood.sustainedMsgPerS}, stored ${e.flood.stored}/${e.flood.published}); an SOS every 500 ms whose ` +
      'first escalation step e-mails a real SMTP sink and posts to a local webhook receiver (both on loopback). ' +
      lane,
    '',
    '| SOS publish -> | received | p50 / p95 / p99 ms | max ms |',
    '| --- | ---: | --- | ---: |',
    `| first e-mail accepted by the SMTP sink | ${e.emailsReceived}/${e.sosPublished} | ${ms(e.sosPublishToEmailMs)} | ${e.sosPublishToEmailMs.max ?? 'n/a'} |`,
    `| first webhook received | ${e.webhooksReceived}/${e.sosPublished} | ${ms(e.sosPublishToWebhookMs)} | ${e.sosPublishToWebhookMs.max ?? 'n/a'} |`,
  ];
}

/** The --profile sections, or nothing for a run without them. */
function profileLines(report: BenchReport): string[] {
  const lines: string[] = [];
  const profiled = report.steps.filter((s) => s.profile);
  if (profiled.length > 0) {
    lines.push('## Profile: Redis commands and SQL statements per step', '');
    for (const step of profiled) {
      const { redis, sql } = step.profile!;
      lines.push(
        `### ${step.targetRate} msg/s (${step.stored} stored)`,
        '',
        '| Redis command | calls | total s | us per call |',
        '| --- | ---: | ---: | ---: |',
        ...redis.map((c) => `| ${c.command} | ${c.calls} | ${c.totalS} | ${c.usPerCall} |`),
        '',
      );
      if (typeof sql === 'string') lines.push(sql, '');
      else {
        lines.push(
          '| SQL statement | calls | total ms | mean ms | rows |',
          '| --- | ---: | ---: | ---: | ---: |',
          ...sql.map(
            (q) =>
              `| \`${q.query.replace(/\|/g, '\\|')}\` | ${q.calls} | ${q.totalMs} | ${q.meanMs} | ${q.rows} |`,
          ),
          '',
        );
      }
    }
  }
  for (const role of report.cpuProfiles ?? []) {
    lines.push(
      `## Profile: ${role.role} (${role.sampledS} s sampled, ${role.idlePercent}% idle; self time as a share of the busy rest)`,
      '',
      '| package | self % |',
      '| --- | ---: |',
      ...role.packages.map((p) => `| ${p.name} | ${p.selfPercent} |`),
      '',
      '| function | self % |',
      '| --- | ---: |',
      ...role.functions.map((f) => `| \`${f.name}\` | ${f.selfPercent} |`),
      '',
    );
  }
  return lines;
}
