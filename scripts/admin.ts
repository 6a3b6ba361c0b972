// `npm run admin -- <command>`: user administration from the command line, against the configured database
// (DATABASE_URL, or the embedded one under DATA_DIR, even while `npm start` runs on it).
//
//   npm run admin -- reset-password <username>
//   npm run admin -- create-user <username> --name <display name> --agency <agency code> --roles <role,role> [--password <p>]
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '../workflows/referral/referral.types';
import { validateBody } from '../src/common/validate';
import { CreateUserDto } from '../src/directory/directory.dto';
import { DirectoryService } from '../src/directory/directory.service';
import { openCliContext, runAsScript, UsageError, type CliContext, type Print } from './cli-context';

const USAGE = `usage:
  npm run admin -- reset-password <username>
  npm run admin -- create-user <username> --name <display name> --agency <agency code> --roles <${ROLES.join('|')}>[,…] [--password <at least 12 characters>]`;

export function generatePassword(): string {
  return randomBytes(12).toString('base64url'); // 16 characters
}

/**
 * A new password for the user; the directory's own reset bumps the user's token generation, so every
 * token issued before it stops working, and announces the change to running services (their caches drop it).
 */
export async function resetPassword(
  ctx: CliContext,
  username: string,
  password = generatePassword(),
): Promise<{ password: string }> {
  const directory = ctx.app.get(DirectoryService);
  const user = await directory.findUserByUsername(username);
  if (!user) throw new UsageError(`no user "${username}"`);
  await directory.setPassword(user.id, password);
  return { password };
}

export async function runAdmin(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  print: Print = console.log,
) {
  const [command, ...rest] = argv;
  if (command !== 'reset-password' && command !== 'create-user')
    throw new UsageError(`unknown command "${command ?? ''}"\n${USAGE}`);
  const args = parseArgs(rest);
  // Checked before any connection is made.
  if (args.positional.length !== 1) throw new UsageError(`${command} needs exactly one <username>\n${USAGE}`);
  const [username] = args.positional;
  if (command === 'create-user') {
    for (const flag of ['name', 'agency', 'roles'])
      if (!args.flags[flag]) throw new UsageError(`create-user needs --${flag}\n${USAGE}`);
  }
  const ctx = await openCliContext(env);
  try {
    if (command === 'reset-password') {
      const { password } = await resetPassword(ctx, username);
      print(`password of "${username}" reset (${ctx.where}): ${password}`);
      print('tokens issued before now are revoked');
    } else {
      const [agency] = await ctx.db.query(`SELECT id FROM agencies WHERE code = $1`, [args.flags.agency]);
      if (!agency) throw new UsageError(`no agency with code "${args.flags.agency}"`);
      const password = args.flags.password ?? generatePassword();
      const roles = args.flags.roles!.split(',').map((r) => r.trim()) as Role[];
      const dto = validateBody(CreateUserDto, { username, password, displayName: args.flags.name, agencyId: agency.id, roles });
      const user = await ctx.app.get(DirectoryService).createUser(dto);
      print(`user "${user.username}" created in ${args.flags.agency} with roles ${user.roles.join(', ')} (${ctx.where})`);
      print(`password: ${password}`);
    }
  } finally {
    await ctx.close();
  }
}

function parseArgs(args: string[]): { positional: string[]; flags: Record<string, string | undefined> } {
  const positional: string[] = [];
  const flags: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) {
      positional.push(args[i]);
      continue;
    }
    if (!['name', 'agency', 'roles', 'password'].includes(m[1])) throw new UsageError(`unknown option --${m[1]}\n${USAGE}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value\n${USAGE}`);
    flags[m[1]] = value;
  }
  return { positional, flags };
}

if (require.main === module) runAsScript('admin', () => runAdmin(process.argv.slice(2)));
