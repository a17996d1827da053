/**
 * Issue #14: no import cycles among our sources. A cycle makes module
 * initialization order matter (a value read before its module ran is
 * undefined) and, even through types only, says two files share a piece that
 * belongs in a third. madge builds the graph with TypeScript's resolver, so
 * the `@/` alias and `import type` count like any other import.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import madge from 'madge';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const SOURCE_DIRS = ['server', 'contract', 'components', 'app', 'scripts'];

/** The import graph of `dirs` under `baseDir`, type-only imports included. */
function importGraph(baseDir: string, dirs: string[]) {
  return madge(
    dirs.map((dir) => join(baseDir, dir)),
    {
      baseDir,
      fileExtensions: ['ts', 'tsx'],
      tsConfig: join(baseDir, 'tsconfig.json'),
      excludeRegExp: [/[\\/]generated[\\/]/],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    },
  );
}

describe('import graph', () => {
  const fixtures: string[] = [];
  afterAll(() => fixtures.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('has no cycle among server, contract, components, app and scripts', async () => {
    const graph = await importGraph(root, SOURCE_DIRS);
    // An import madge could not resolve is an edge it cannot see: fail rather than pass blind.
    expect(graph.warnings().skipped).toEqual([]);
    const cycles = graph.circular().map((cycle) => cycle.join(' -> '));
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  }, 60_000);

  it('resolves the @/ alias (an app page reaches components through it)', async () => {
    const graph = await importGraph(root, ['app']);
    const edges = Object.values(graph.obj()).flat();
    expect(edges.some((to) => to.startsWith('components/'))).toBe(true);
  }, 60_000);

  it('finds a cycle closed through the @/ alias by a type-only import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-cycle-'));
    fixtures.push(dir);
    mkdirSync(join(dir, 'server'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    );
    writeFileSync(join(dir, 'server/a.ts'), "import { b } from './b';\nexport const a = b + 1;\n");
    writeFileSync(
      join(dir, 'server/b.ts'),
      "import type { a } from '@/server/a';\nexport const b = 1;\nexport type A = typeof a;\n",
    );
    const graph = await importGraph(dir, ['server']);
    expect(graph.circular()).toEqual([['server/a.ts', 'server/b.ts']]);
  }, 60_000);
});
