/**
 * `npm run build:server`: the custom server (server/index.ts and everything it
 * imports of ours, the generated Prisma client included) bundled by esbuild
 * into dist/server.mjs, which plain `node` runs: no tsx loader, no TypeScript
 * at run time. Packages stay external and load from node_modules, and every
 * one of them must be a production dependency, so `npm ci --omit=dev` is
 * enough on a server. Pages are built apart (`npm run build`, next build).
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Role } from '../../contract/charts';

const ROOT = path.resolve(__dirname, '../..');
/** Where the bundle goes (gitignored build output). */
export const SERVER_BUNDLE = path.join(ROOT, 'dist/server.mjs');

/**
 * The node flags a process running one role starts with in production: the
 * systemd units (checked by tests/integration/deployment-units.test.ts), the
 * bench and the soak. Measured with `npm run bench:ingest` (README "Benchmark"),
 * each against the defaults in back-to-back runs:
 * - --heap-growing-percent=50: V8 lets the old generation grow to 1.5 times
 *   what survived the last full GC, instead of up to 4 times when the process
 *   allocates fast. Bulk worker peak RSS 267 -> 172 MB at the 10,000 msg/s
 *   step, with no measurable CPU cost.
 * - --max-semi-space-size=8 (ingest): the young generation stops at 2 x 8 MB
 *   instead of 2 x 16. Ingest peak RSS about 135 -> 115 MB. Not at 4 or 2:
 *   short-lived messages were then promoted, which cost CPU and memory at
 *   5,000 msg/s.
 * Not --enable-source-maps: it keeps the source maps of every module loaded,
 * Next.js's large ones included (web +35 MB, ingest +10 MB). The bundle's map
 * stays beside it; README "Deploying" says how to turn them on to debug.
 */
export const ROLE_NODE_FLAGS: Record<Role, readonly string[]> = {
  web: [],
  ingest: ['--max-semi-space-size=8', '--heap-growing-percent=50'],
  worker: ['--heap-growing-percent=50'],
};

/** The package an import specifier names: `@scope/name/sub` -> `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Bundles the server; throws listing any import that is neither built in nor a production dependency. */
export async function buildServerBundle(): Promise<{ externals: string[] }> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'server/index.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // ESM: the generated Prisma client uses import.meta.url.
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
  });
  const { dependencies } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules);
  const externals = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external) continue;
      const name = imported.path.replace(/^node:/, '');
      if (builtins.has(name) || builtins.has(name.split('/')[0]!)) continue;
      externals.add(packageOf(imported.path));
    }
  }
  const notProduction = [...externals].filter((name) => !(name in dependencies));
  if (notProduction.length > 0) {
    throw new Error(
      `the server imports packages that are not production dependencies: ${notProduction.join(', ')}`,
    );
  }
  return { externals: [...externals].sort() };
}
