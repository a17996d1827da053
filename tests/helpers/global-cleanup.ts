/**
 * Vitest global set-up of the integration and e2e projects: when the run ends,
 * the data of every registered run whose process is gone (this run's test
 * workers that failed before their clean-up, or any earlier run that died) is
 * removed. Runs of other checkouts still going are kept (scripts/lib/run-registry.ts).
 */
import { registryServicesFromEnv, removeDeadRuns } from '../../scripts/lib/run-registry';

export async function teardown(): Promise<void> {
  // Without the services the tests themselves already failed loudly; nothing to clean.
  if (!process.env.REDIS_URL) return;
  const { removed } = await removeDeadRuns(registryServicesFromEnv());
  const keys = removed.reduce((sum, run) => sum + run.keys, 0);
  if (removed.length > 0) {
    console.log(`[clean-up] ${removed.length} finished runs left data: ${keys} keys removed`);
  }
}
