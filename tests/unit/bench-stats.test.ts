/**
 * The benchmark's CPU accounting read from /proc: the machine's busy time
 * includes this process's own work, a sampled group reports its CPU and
 * memory, a group that cannot answer is left out, and the report divides the
 * machine's CPU by the messages stored.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type BenchReport } from '../../scripts/bench/report';
import { readMachineCpuSeconds, readProcess, sampleProcesses } from '../../scripts/bench/stats';
import type { LatencySummary } from '../../scripts/bench/stats';

/** Burns about `cpuMs` of this process's CPU (not wall time). */
function spin(cpuMs: number): number {
  const start = process.cpuUsage();
  let x = 0;
  while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < cpuMs) {
    for (let i = 0; i < 10_000; i += 1) x += Math.sqrt(i);
  }
  return x;
}

describe('CPU from /proc', () => {
  it("counts this process's work in the machine's busy CPU", () => {
    const machineBefore = readMachineCpuSeconds();
    const ownBefore = readProcess(process.pid)!.cpuSeconds;
    spin(300);
    const own = readProcess(process.pid)!.cpuSeconds - ownBefore;
    const machine = readMachineCpuSeconds() - machineBefore;
    expect(own).toBeGreaterThan(0.2);
    // Other processes only add to the machine's figure; one clock tick of rounding each side.
    // Compared in whole clock ticks (1/100 s): the seconds are differences of float sums, and
    // 0.28999999999723514 < 0.29 - 0 failed a run where both were 29 ticks.
    const ticks = (seconds: number) => Math.round(seconds * 100);
    expect(ticks(machine)).toBeGreaterThanOrEqual(ticks(own) - 2);
  });

  it('samples a group of processes and leaves out one that cannot answer', async () => {
    const sampler = sampleProcesses({
      self: () => [process.pid],
      failing: () => Promise.reject(new Error('database restarting')),
      gone: () => [2 ** 22 + 1],
    });
    spin(200);
    const { processes, machine } = await sampler.stop();
    expect(Object.keys(processes)).toEqual(['self']);
    expect(processes.self!.cpuPercent).toBeGreaterThan(0);
    expect(processes.self!.rssMbMax).toBeGreaterThan(10);
    expect(machine.cpuSeconds).toBeGreaterThan(0);
  });
});

describe('bench report', () => {
  const none: LatencySummary = { count: 0, p50: null, p95: null, p99: null, max: null };
  const step = {
    label: '1000',
    targetRate: 1000,
    durationS: 30,
    published: 1500,
    acknowledged: 1500,
    publishFailed: 0,
    stored: 1500,
    lost: 0,
    duplicates: 0,
    sustainedMsgPerS: 1000,
    drainS: 0,
    publishToEnqueuedMs: none,
    publishToCommittedMs: none,
    publishToSocketMs: none,
  };

  it('shows every process measured, the whole machine, and CPU-seconds per 1,000 messages', () => {
    const report: BenchReport = {
      date: '2026-12-06T00:00:00.000Z',
      machine: { cores: 2, node: 'v20' },
      config: {},
      steps: [
        {
          ...step,
          processes: {
            ingest: { cpuPercent: 20, rssMbMax: 100 },
            postgres: { cpuPercent: 30, rssMbMax: 200 },
          },
          machine: { cpuPercent: 150, cpuSeconds: 3 },
        },
        {
          ...step,
          targetRate: 2000,
          processes: { ingest: { cpuPercent: 25, rssMbMax: 110 } },
          machine: { cpuPercent: 160, cpuSeconds: 4.5 },
        },
      ],
      criticalDuringFlood: null,
      escalationDuringFlood: {
        flood: step,
        sosPublished: 0,
        emailsReceived: 0,
        webhooksReceived: 0,
        sosPublishToEmailMs: none,
        sosPublishToWebhookMs: none,
      },
    };
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| target msg/s | ingest | postgres | whole machine |');
    expect(markdown).toContain(
      '| 1000 | 20% / 100 MB | 30% / 200 MB | 150% / 2.00 CPU-s per 1,000 msg |',
    );
    expect(markdown).toContain('| 2000 | 25% / 110 MB | n/a | 160% / 3.00 CPU-s per 1,000 msg |');
  });
});
