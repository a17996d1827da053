/**
 * The bench's profile summaries: a real V8 CPU profile of a process that
 * burns its time in one named function, Redis's commandstats lines, and the
 * package a frame belongs to.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageOf, parseCommandStats, summarizeProfileDir } from '../../scripts/bench/profile';

const dir = mkdtempSync(path.join(tmpdir(), 'wf-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CPU profile summary', () => {
  it("puts a process's hot function first", () => {
    const script = `
      function burnTheCpu() { let x = 0; const end = Date.now() + 400; while (Date.now() < end) x += Math.sqrt(x + 1); return x; }
      burnTheCpu();`;
    execFileSync(process.execPath, [
      '--cpu-prof',
      '--cpu-prof-dir',
      path.join(dir, 'spinner'),
      '-e',
      script,
    ]);
    const [summary] = summarizeProfileDir(dir, ['spinner', 'absent']);
    expect(summary?.role).toBe('spinner');
    expect(summary!.functions[0]!.name).toMatch(/^burnTheCpu /);
    expect(summary!.functions[0]!.selfPercent).toBeGreaterThan(50);
    expect(summary!.functions.some((f) => f.name === '(idle)')).toBe(false);
    const total = summary!.packages.reduce((sum, p) => sum + p.selfPercent, 0);
    expect(total).toBeGreaterThan(99);
    expect(total).toBeLessThan(101);
  });
});

describe('Redis commandstats', () => {
  it('ranks commands by total time and converts microseconds', () => {
    const info = [
      '# Commandstats',
      'cmdstat_get:calls=100,usec=500,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
      'cmdstat_evalsha:calls=3000,usec=2500000,usec_per_call=833.33,rejected_calls=0,failed_calls=0',
      'cmdstat_xadd:calls=10,usec=120000,usec_per_call=12000.00,rejected_calls=0,failed_calls=0',
      '',
    ].join('\r\n');
    expect(parseCommandStats(info)).toEqual([
      { command: 'evalsha', calls: 3000, totalS: 2.5, usPerCall: 833.33 },
      { command: 'xadd', calls: 10, totalS: 0.12, usPerCall: 12000 },
      { command: 'get', calls: 100, totalS: 0, usPerCall: 5 },
    ]);
  });
});

describe('package of a frame', () => {
  it('names npm packages, scoped ones, Node, pseudo-frames and our own code', () => {
    expect(packageOf('file:///srv/wf/node_modules/bullmq/dist/cjs/classes/job.js', 'x')).toBe(
      'bullmq',
    );
    expect(packageOf('file:///srv/wf/node_modules/@prisma/client/runtime/x.js', 'x')).toBe(
      '@prisma/client',
    );
    expect(packageOf('node:internal/streams/readable', 'read')).toBe('node');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(packageOf('file:///srv/wf/server/mqtt/ingest.ts', 'onMessage')).toBe(
      'watchfloor server/',
    );
  });
});
