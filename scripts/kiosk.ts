/**
 * Wall kiosk tokens from the command line (admins also have the API):
 *
 *   npm run kiosk -- create --sites site-harbour,site-park [--name "Control room"]
 *   npm run kiosk -- create --sites all
 *   npm run kiosk -- list
 *   npm run kiosk -- revoke <id>
 *
 * The token is printed once; open the wall with /wall?token=<token>.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { recordAudit } from '../server/audit/audit-log';
import { createKioskToken, listKioskTokens, revokeKioskToken } from '../server/auth/kiosk-tokens';
import { loadConfig } from '../server/config';
import { runCli } from './lib/run-cli';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { sites: { type: 'string' }, name: { type: 'string', default: 'wall' } },
  });
  const [command, id] = positionals;
  const pool = new pg.Pool({ connectionString: loadConfig().DATABASE_URL, max: 1 });
  pool.on('error', () => undefined);
  try {
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
        const { token, info } = await createKioskToken(pool, {
          name: values.name,
          siteIds,
          createdById: null,
        });
        await recordAudit(pool, {
          actorId: null,
          actorLabel: 'cli',
          action: 'kiosk.create',
          target: `kiosk:${info.id}`,
          details: { name: info.name, siteIds: info.siteIds },
        });
        console.log(
          `kiosk token ${info.id} (${info.name}) for ${info.siteIds === 'all' ? 'all sites' : info.siteIds.join(', ')}`,
        );
        console.log(`token (shown once): ${token}`);
        console.log(`open: /wall?token=${token}`);
        return 0;
      }
      case 'list':
        for (const t of await listKioskTokens(pool)) {
          const sites = t.siteIds === 'all' ? 'all' : t.siteIds.join(',');
          console.log(
            `${t.id}  ${t.revokedAt ? 'revoked' : 'active '}  ${t.name}  sites=${sites}  last used ${t.lastUsedAt ?? 'never'}`,
          );
        }
        return 0;
      case 'revoke': {
        if (!id) throw new Error('usage: kiosk revoke <id>');
        const revoked = await revokeKioskToken(pool, id);
        if (revoked)
          await recordAudit(pool, {
            actorId: null,
            actorLabel: 'cli',
            action: 'kiosk.revoke',
            target: `kiosk:${id}`,
          });
        console.log(revoked ? `revoked ${id}` : `no active token ${id}`);
        return revoked ? 0 : 1;
      }
      default:
        console.error(
          'usage: npm run kiosk -- create --sites a,b|all [--name N] | list | revoke <id>',
        );
        return 2;
    }
  } finally {
    await pool.end();
  }
}

runCli('kiosk', main);
