/**
 * One advisory's state, and whether it means degraded service (server/http/health.ts
 * rates them). Here, with the role that reports it, so health.ts and role.ts do not
 * import each other.
 */
export interface Advisory {
  state: string;
  degraded: boolean;
}

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
