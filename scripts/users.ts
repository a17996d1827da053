/**
 * Users from the command line (admins also have /admin/users):
 *
 *   npm run users -- list
 *   npm run users -- create <email> --name "N" --role supervisor --sites a,b   (password read from stdin)
 *   npm run users -- set-password <email>                                      (password read from stdin)
 *   npm run users -- delete <email>
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { recordAudit } from '../server/audit/audit-log';
import { loadConfig } from '../server/config';
import {
  createUser,
  createUserSchema,
  deleteUser,
  listUsers,
  updateUser,
  updateUserSchema,
} from '../server/users/users';
import { runCli } from './lib/run-cli';

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '';
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, sites: { type: 'string' } },
  });
  const [command, email] = positionals;
  const pool = new pg.Pool({ connectionString: loadConfig().DATABASE_URL, max: 2 });
  pool.on('error', () => undefined);
  const audit = (action: string, target: string, details: Record<string, unknown> = {}) =>
    recordAudit(pool, { actorId: null, actorLabel: 'cli', action, target, details });
  const byEmail = async (e: string | undefined) => {
    const user = (await listUsers(pool)).find((u) => u.email === e?.toLowerCase());
    if (!user) throw new Error(`no user ${e}`);
    return user;
  };
  try {
    switch (command) {
      case 'list':
        for (const u of await listUsers(pool))
          console.log(`${u.email}  ${u.role}  ${u.name}  sites=${u.siteIds.join(',') || '-'}`);
        return 0;
      case 'create': {
        const input = createUserSchema.parse({
          email,
          name: values.name,
          role: values.role,
          siteIds: values.sites ? values.sites.split(',') : [],
          password: await readPassword(),
        });
        const user = await createUser(pool, input);
        await audit('user.create', `user:${user.id}`, {
          email: user.email,
          role: user.role,
          siteIds: user.siteIds,
        });
        console.log(`created ${user.email} (${user.role})`);
        return 0;
      }
      case 'set-password': {
        const user = await byEmail(email);
        await updateUser(pool, user.id, updateUserSchema.parse({ password: await readPassword() }));
        await audit('user.set_password', `user:${user.id}`, { email: user.email });
        console.log(`password changed for ${user.email}; their sessions ended`);
        return 0;
      }
      case 'delete': {
        const user = await deleteUser(pool, (await byEmail(email)).id);
        await audit('user.delete', `user:${user.id}`, { email: user.email });
        console.log(`deleted ${user.email}`);
        return 0;
      }
      default:
        console.error(
          'usage: npm run users -- list | create <email> --name N --role R [--sites a,b] | set-password <email> | delete <email>',
        );
        return 2;
    }
  } finally {
    await pool.end();
  }
}

runCli('users', main);
