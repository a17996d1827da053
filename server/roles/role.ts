/** What the composition root knows of a running role. */
export interface RoleHandle {
  name: string;
  /** Component name -> healthy. */
  health(): Record<string, boolean>;
  /** Stops taking work, finishes what is in flight, closes its clients. */
  stop(): Promise<void>;
}
