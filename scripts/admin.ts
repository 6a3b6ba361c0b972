// `npm run admin -- <command>`: user administration from the command line, against the configured database
// (DATABASE_URL, or the embedded one under DATA_DIR, even while `npm start` runs on it).
//
//   npm run admin -- reset-password <username>
//   npm run admin -- create-user <username> --name <display name> --agency <agency code> --roles <role,role> [--password <p>]
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ROLES, type Role } from '../workflows/referral/referral.types';
import { hashPassword } from '../src/auth/passwords';
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
 * TOKEN REVOCATION HOOK — the one place the CLI revokes a user's tokens (reset-password, and the demo's
 * password resets). Tokens issued before this call must stop working. Until the users table carries a
 * revocation marker this is a no-op that says so; it already honours the marker if the migration that adds
 * it is present (`tokens_valid_after`, or a `token_generation` counter). Replace the body with the auth
 * module's own revocation call once it exists.
 */
export async function revokeTokens(tx: EntityManager, userId: string): Promise<boolean> {
  const columns: { column_name: string }[] = await tx.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'users' AND column_name IN ('tokens_valid_after', 'token_generation')`,
  );
  const names = columns.map((c) => c.column_name);
  if (names.includes('tokens_valid_after')) {
    await tx.query(`UPDATE users SET tokens_valid_after = now() WHERE id = $1`, [userId]);
  } else if (names.includes('token_generation')) {
    await tx.query(`UPDATE users SET token_generation = token_generation + 1 WHERE id = $1`, [userId]);
  } else {
    return false;
  }
  return true;
}

/** A new password for the user, and every token issued before it revoked, in one transaction. */
export async function resetPassword(
  ctx: CliContext,
  username: string,
  password = generatePassword(),
): Promise<{ password: string; revoked: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.query(`SELECT id FROM users WHERE username = $1 FOR UPDATE`, [username]);
    if (!user) throw new UsageError(`no user "${username}"`);
    await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, await hashPassword(password)]);
    const revoked = await revokeTokens(tx, user.id);
    return { password, revoked };
  });
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
      const { password, revoked } = await resetPassword(ctx, username);
      print(`password of "${username}" reset (${ctx.where}): ${password}`);
      print(
        revoked
          ? 'tokens issued before now are revoked'
          : 'note: this version cannot revoke tokens already issued; they expire after JWT_EXPIRES_IN_SECONDS',
      );
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
