/**
 * Wall kiosk tokens from the command line (admins also have the API):
 *
 *   npm run kiosk -- create --sites site-harbour,site-park [--name "Control room"]
 *   npm run kiosk -- create --sites all [--expires 2027-01-31T18:00:00Z]
 *   npm run kiosk -- list
 *   npm run kiosk -- revoke <id>
 *
 * The token is printed once; open the wall with /wall?token=<token>.
 */
import { parseArgs } from 'node:util';
import { listKioskTokens } from '../server/auth/kiosk-tokens';
import { loadConfig } from '../server/config';
import { CLI_ACTOR, createWallToken, revokeWallToken } from '../server/users/account-actions';
import { withAccountDeps } from './lib/account-deps';
import { runCli } from './lib/run-cli';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sites: { type: 'string' },
      name: { type: 'string', default: 'wall' },
      expires: { type: 'string' },
    },
  });
  const [command, id] = positionals;
  return withAccountDeps(loadConfig(), async (deps) => {
    switch (command) {
      case 'create': {
        if (!values.sites) throw new Error('--sites a,b (or --sites all) is required');
        const siteIds =
          values.sites === 'all'
            ? 'all'
            : values.sites
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean);
        // People type ISO 8601 here; the use case takes epoch ms, as every time of the contract.
        const expiresAt = values.expires ? Date.parse(values.expires) : null;
        if (expiresAt !== null && Number.isNaN(expiresAt))
          throw new Error('--expires takes an ISO 8601 time, e.g. 2027-01-31T18:00:00Z');
        const { token, info } = await createWallToken(deps, CLI_ACTOR, {
          name: values.name,
          siteIds,
          expiresAt,
        });
        console.log(
          `kiosk token ${info.id} (${info.name}) for ${info.siteIds === 'all' ? 'all sites' : info.siteIds.join(', ')}`,
        );
        if (info.expiresAt) console.log(`expires ${new Date(info.expiresAt).toISOString()}`);
        console.log(`token (shown once): ${token}`);
        console.log(`open: /wall?token=${token}`);
        return 0;
      }
      case 'list':
        for (const t of await listKioskTokens(deps.pool)) {
          const sites = t.siteIds === 'all' ? 'all' : t.siteIds.join(',');
          console.log(
            `${t.id}  ${t.revokedAt ? 'revoked' : 'active '}  ${t.name}  sites=${sites}  last used ${t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : 'never'}`,
          );
        }
        return 0;
      case 'revoke': {
        if (!id) throw new Error('usage: kiosk revoke <id>');
        const revoked = await revokeWallToken(deps, CLI_ACTOR, id);
        console.log(revoked ? `revoked ${id}` : `no active token ${id}`);
        return revoked ? 0 : 1;
      }
      default:
        console.error(
          'usage: npm run kiosk -- create --sites a,b|all [--name N] [--expires ISO-time] | list | revoke <id>',
        );
        return 2;
    }
  });
}

runCli('kiosk', main);
