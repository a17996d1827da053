/**
 * The dependency direction (README, Architecture: app/ and components/ ->
 * contract/ <- server/) is enforced by `no-restricted-imports` in
 * eslint.config.mjs. A glob or regex typo there would silently let every
 * import through, so this lints snippets as if they sat in those folders
 * with the project's real config and expects the rule to fire.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(__dirname, '../..') });

/** The `no-restricted-imports` messages for `code` linted as `filePath`. */
async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => `${m.severity === 2 ? 'error' : 'warn'}: ${m.message}`);
}

const SERVER_IMPORTS = [
  "import type { Config } from '@/server/config';",
  "import type { Config } from '../server/config';",
];

describe('dependency-direction lint rules', () => {
  it.each(SERVER_IMPORTS)('refuses server code in contract/: %s', async (line) => {
    const found = await restrictedImports(`${line}\nexport type X = Config;\n`, 'contract/x.ts');
    expect(found).toEqual([expect.stringMatching(/^error: .*contract\/ imports nothing but zod/)]);
  });

  it.each(['@/server/config', '../../server/config'])(
    'refuses server code in components/ (%s), even a type',
    async (specifier) => {
      const code = `import type { Config } from '${specifier}';\nexport type X = Config;\n`;
      const found = await restrictedImports(code, 'components/area/x.ts');
      expect(found).toEqual([expect.stringMatching(/^error: .*components\/ never import server/)]);
    },
  );

  it('lets contract/ import zod and its own files, and components/ the contract', async () => {
    const contract =
      "import { z } from 'zod';\nimport { ID_PATTERN } from './ids';\nexport const Id = z.string().regex(ID_PATTERN);\n";
    expect(await restrictedImports(contract, 'contract/x.ts')).toEqual([]);
    const component =
      "import { ALERT_SEVERITIES } from '@/contract/alerts';\nexport const n = ALERT_SEVERITIES.length;\n";
    expect(await restrictedImports(component, 'components/area/x.ts')).toEqual([]);
  });

  it('leaves server/ free to import server code', async () => {
    const code = "import type { Config } from '../config';\nexport type X = Config;\n";
    expect(await restrictedImports(code, 'server/area/x.ts')).toEqual([]);
  });
});
