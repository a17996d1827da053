/** Polls a condition until it holds: e2e tests wait for states, never for fixed times. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked each round; a returned message aborts the wait at once (e.g. "server exited"). */
  abortIf?: () => string | null;
}

/** Resolves with the first truthy value of `probe`; rejects with `what` on timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  { timeoutMs, intervalMs = 250, abortIf }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = abortIf?.();
    if (abort) throw new Error(`gave up waiting for ${what}: ${abort}`);
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
