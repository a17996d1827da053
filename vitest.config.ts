/**
 * Three projects: unit (no services), integration and e2e (real PostgreSQL, Redis,
 * Mosquitto from DATABASE_URL / REDIS_URL / MQTT_URL; scripts/test.ts provides them).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));
// The tsconfig `@/*` path, for tests that import app code the way the app does.
const alias = { '@': root };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-cleanup.ts'],
          environment: 'node',
          // Files share the services; one at a time keeps timings and load sane on 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-cleanup.ts'],
          environment: 'node',
          // Each file starts a full server and a browser: never two at once.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
