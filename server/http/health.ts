/**
 * What /healthz answers. Two kinds of checks, on purpose:
 *
 * - components (PostgreSQL, probed in the background by the web and worker
 *   roles; Redis; MQTT ingest; workers running): without
 *   one the node cannot do its job, so the report is "down" and /healthz
 *   answers 503 for a load balancer or orchestrator to take it out;
 * - advisories (the command publisher's circuit breaker): a service of the
 *   node is impaired but the node itself is fine. A flaky broker for commands
 *   must not take web nodes out of rotation: the dashboard, alerts and ingest
 *   still work, commands wait in their queue, and every node would fail the
 *   same probe at once. So the report is "degraded" with the state in the body,
 *   /healthz still answers 200, and alerting reads the body or /metrics
 *   (watchfloor_command_breaker_state).
 */
import type { HealthStatus } from '../../contract/health';
import type { Advisory, RoleHandle } from '../roles/role';

export interface HealthReport {
  /** ok: all well; degraded: serving, an advisory is impaired; down: a component failed. */
  status: HealthStatus;
  /** False only when down (the 503 case). */
  ok: boolean;
  components: Record<string, boolean>;
  advisories: Record<string, Advisory>;
}

/** Gathers every role's checks under `<role>.<name>` and rates the whole. */
export function summarizeHealth(roles: readonly RoleHandle[]): HealthReport {
  const components: Record<string, boolean> = {};
  const advisories: Record<string, Advisory> = {};
  for (const role of roles) {
    for (const [name, ok] of Object.entries(role.health())) components[`${role.name}.${name}`] = ok;
    for (const [name, advisory] of Object.entries(role.advisories?.() ?? {}))
      advisories[`${role.name}.${name}`] = advisory;
  }
  const down = Object.values(components).some((ok) => !ok);
  const degraded = Object.values(advisories).some((a) => a.degraded);
  const status = down ? 'down' : degraded ? 'degraded' : 'ok';
  return { status, ok: !down, components, advisories };
}

/** The HTTP status of a report: only "down" takes the node out of rotation. */
export function healthHttpStatus(report: HealthReport): 200 | 503 {
  return report.status === 'down' ? 503 : 200;
}
