/**
 * Users from the command line (admins also have /admin/users):
 *
 *   npm run users -- list
 *   npm run users -- create <email> --name "N" --role supervisor --sites a,b [--notify <address>]
 *                                                                              (password read from stdin)
 *   npm run users -- set-password <email>                                      (password read from stdin)
 *   npm run users -- set-notification-email <email> <address>|--clear         (escalation e-mails)
 *   npm run users -- delete <email>
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import {
  changeAccount,
  CLI_ACTOR,
  createAccount,
  removeAccount,
  type AccountDeps,
} from '../server/users/account-actions';
import { createUserSchema, listUsers, updateUserSchema } from '../server/users/users';
import { withAccountDeps } from './lib/account-deps';
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
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      sites: { type: 'string' },
      notify: { type: 'string' },
      clear: { type: 'boolean' },
    },
  });
  const [command, email, address] = positionals;
  return withAccountDeps(loadConfig(), (deps) => run(deps, command, email, { ...values, address }));
}

async function run(
  deps: AccountDeps,
  command: string | undefined,
  email: string | undefined,
  values: {
    name?: string;
    role?: string;
    sites?: string;
    notify?: string;
    clear?: boolean;
    address?: string;
  },
): Promise<number> {
  const { pool } = deps;
  const byEmail = async (e: string | undefined) => {
    const user = (await listUsers(pool)).find((u) => u.email === e?.toLowerCase());
    if (!user) throw new Error(`no user ${e}`);
    return user;
  };
  switch (command) {
    case 'list':
      for (const u of await listUsers(pool))
        console.log(
          `${u.email}  ${u.role}  ${u.name}  sites=${u.siteIds.join(',') || '-'}` +
            (u.notificationEmail ? `  notify=${u.notificationEmail}` : ''),
        );
      return 0;
    case 'create': {
      const input = createUserSchema.parse({
        email,
        name: values.name,
        role: values.role,
        siteIds: values.sites ? values.sites.split(',') : [],
        notificationEmail: values.notify,
        password: await readPassword(),
      });
      const user = await createAccount(deps, CLI_ACTOR, input);
      console.log(`created ${user.email} (${user.role})`);
      return 0;
    }
    case 'set-password': {
      const user = await byEmail(email);
      const input = updateUserSchema.parse({ password: await readPassword() });
      await changeAccount(deps, CLI_ACTOR, user.id, input);
      console.log(`password changed for ${user.email}; their sessions and live screens ended`);
      return 0;
    }
    case 'set-notification-email': {
      if (!values.clear && !values.address) throw new Error('give an address, or --clear');
      const user = await byEmail(email);
      const input = updateUserSchema.parse({
        notificationEmail: values.clear ? null : values.address,
      });
      const changed = await changeAccount(deps, CLI_ACTOR, user.id, input);
      console.log(
        `escalation e-mails for ${user.email} go to ${changed.notificationEmail ?? `${user.email} (the login email)`}`,
      );
      return 0;
    }
    case 'delete': {
      const user = await removeAccount(deps, CLI_ACTOR, (await byEmail(email)).id);
      console.log(`deleted ${user.email}`);
      return 0;
    }
    default:
      console.error(
        'usage: npm run users -- list | create <email> --name N --role R [--sites a,b] [--notify <address>] | ' +
          'set-password <email> | set-notification-email <email> <address>|--clear | delete <email>',
      );
      return 2;
  }
}

runCli('users', main);
