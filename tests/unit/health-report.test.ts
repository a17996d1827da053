/** /healthz: a failed component takes the node out (503); an open command breaker only degrades it. */
import { describe, expect, it } from 'vitest';
import { healthHttpStatus, summarizeHealth } from '../../server/http/health';
import type { RoleHandle } from '../../server/roles/role';

const role = (name: string, health: Record<string, boolean>, breaker?: string): RoleHandle => ({
  name,
  health: () => health,
  ...(breaker
    ? { advisories: () => ({ commandBreaker: { state: breaker, degraded: breaker !== 'closed' } }) }
    : {}),
  stop: async () => undefined,
});

describe('health report', () => {
  it('is ok with every component up and the command breaker closed', () => {
    const report = summarizeHealth([
      role('web', { redis: true }),
      role('worker', { workers: true }, 'closed'),
    ]);
    expect(report).toEqual({
      status: 'ok',
      ok: true,
      components: { 'web.redis': true, 'worker.workers': true },
      advisories: { 'worker.commandBreaker': { state: 'closed', degraded: false } },
    });
    expect(healthHttpStatus(report)).toBe(200);
  });

  it('is degraded but still 200 while the command breaker is open, and says so', () => {
    const report = summarizeHealth([role('worker', { workers: true }, 'open')]);
    expect(report.status).toBe('degraded');
    expect(report.ok).toBe(true);
    expect(report.advisories['worker.commandBreaker']).toEqual({ state: 'open', degraded: true });
    expect(healthHttpStatus(report)).toBe(200);
  });

  it('is down (503) when a component fails, whatever the breaker', () => {
    const report = summarizeHealth([
      role('web', { postgres: false }),
      role('worker', { workers: true }, 'open'),
    ]);
    expect(report.status).toBe('down');
    expect(report.ok).toBe(false);
    expect(healthHttpStatus(report)).toBe(503);
  });
});
