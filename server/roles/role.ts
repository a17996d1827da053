import type { Advisory } from '../http/health';

/** What the composition root knows of a running role. */
export interface RoleHandle {
  name: string;
  /** Component name -> healthy. */
  health(): Record<string, boolean>;
  /** States that degrade a service but leave the node fit to serve (server/http/health.ts). */
  advisories?(): Record<string, Advisory>;
  /** Stops taking work, finishes what is in flight, closes its clients. */
  stop(): Promise<void>;
}
