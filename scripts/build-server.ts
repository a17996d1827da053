/** `npm run build:server`: see scripts/lib/server-bundle.ts. */
import path from 'node:path';
import { buildServerBundle, SERVER_BUNDLE } from './lib/server-bundle';
import { runCli } from './lib/run-cli';

runCli('build:server', async () => {
  const { externals } = await buildServerBundle();
  console.log(
    `${path.relative(process.cwd(), SERVER_BUNDLE)} built; packages it loads from node_modules: ${externals.join(', ')}`,
  );
  return 0;
});
