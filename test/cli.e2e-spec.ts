// `npm run demo` and `npm run admin`, run in-process against a test database (DATABASE_URL): the demo world
// covers every state of the procedure with some referrals overdue, and a second run creates nothing; the
// admin commands reset a password and create a user, printing the password.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { verifyPassword } from '../src/auth/passwords';
import { runAdmin } from '../scripts/admin';
import { DEMO_AGENCIES, DEMO_REFERRALS, DEMO_USERS, runDemo } from '../scripts/demo';
import { createDatabase, databaseUrlFor, dropDatabase, TEST_HASH_COST } from './support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('npm run demo / npm run admin', () => {
  let databaseName: string;
  let env: Record<string, string>;
  let dataDir: string;
  const prefix = `caselink-test-cli-${randomBytes(4).toString('hex')}`;

  const query = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  const run = async (fn: (print: (l: string) => void) => Promise<unknown>) => {
    const lines: string[] = [];
    await fn((l) => lines.push(l));
    return lines.join('\n');
  };

  const passwordHash = async (username: string) =>
    (await query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = $1`, [username]))[0].password_hash;

  beforeAll(async () => {
    databaseName = await createDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'caselink-cli-'));
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrlFor(databaseName),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: 'admin-password-123',
      DATA_DIR: dataDir,
      DATABASE_POOL_MAX: '4',
      LOG_LEVEL: 'silent',
      PASSWORD_HASH_COST: TEST_HASH_COST,
    };
  });

  afterAll(async () => {
    await dropDatabase(databaseName);
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  describe('demo', () => {
    let first: Awaited<ReturnType<typeof runDemo>>;
    let firstOutput: string;

    beforeAll(async () => {
      const lines: string[] = [];
      first = await runDemo(env, (l) => lines.push(l));
      firstOutput = lines.join('\n');
    }, 120_000);

    it('creates Zhejiang, Hangzhou and Ningbo agencies with real region codes and Chinese names', async () => {
      expect(first.created).toEqual({
        agencies: DEMO_AGENCIES.length,
        users: DEMO_USERS.length,
        referrals: DEMO_REFERRALS.length,
      });
      const agencies = await query<{ code: string; name: string; kind: string; region_code: string }>(
        `SELECT code, name, kind, region_code FROM agencies WHERE code = ANY($1)`,
        [DEMO_AGENCIES.map((a) => a.code)],
      );
      expect(new Set(agencies.map((a) => a.region_code))).toEqual(new Set(['330000', '330100', '330200']));
      expect(new Set(agencies.map((a) => a.kind))).toEqual(new Set(['regulator', 'police', 'procuratorate', 'supervisor']));
      for (const a of agencies) expect(a.name).toMatch(/[\u4e00-\u9fff]/);
      for (const word of ['市场监督管理局', '药品监督管理局', '生态环境局', '公安局', '人民检察院']) {
        expect(agencies.some((a) => a.name.includes(word))).toBe(true);
      }
      expect(agencies.find((a) => a.kind === 'supervisor')!.region_code).toBe('330000');
    });

    it('prints a user per role, each with a password that logs in', async () => {
      const roles = new Set(DEMO_USERS.flatMap((u) => u.roles));
      expect(roles).toEqual(new Set(['admin', 'agency-officer', 'police-officer', 'police-lead', 'procurator', 'supervisor']));
      for (const u of DEMO_USERS) {
        expect(firstOutput).toContain(`${u.username}`);
        expect(firstOutput).toContain(first.passwords[u.username]);
        expect(await verifyPassword(first.passwords[u.username], await passwordHash(u.username))).toBe(true);
      }
    });

    it('drives a dozen referrals into every state of the procedure, some overdue, their timelines starting in the past', async () => {
      expect(first.referrals.length).toBeGreaterThanOrEqual(12);
      const states = new Set(first.referrals.map((r) => r.state));
      for (const state of [
        'submitted',
        'under-review',
        'supplement-requested',
        'reviewed',
        'declined',
        'reconsideration',
        'procuratorial-supervision.awaiting-procurator',
        'procuratorial-supervision.reasons-required',
        'accepted',
        'joint-rectification',
        'closed',
        'withdrawn',
      ]) {
        expect({ state, present: states.has(state) }).toEqual({ state, present: true });
      }
      expect(first.referrals.filter((r) => r.overdue).length).toBeGreaterThanOrEqual(3);
      // Submitted in the past (the clock set back): the timeline says so too.
      const [oldest] = await query<{ age_days: number }>(
        `SELECT extract(epoch FROM now() - min(occurred_at)) / 86400 AS age_days FROM referral_events`,
      );
      expect(Number(oldest.age_days)).toBeGreaterThan(7);
      const [{ n }] = await query<{ n: string }>(`SELECT count(*) AS n FROM referral_events`);
      expect(Number(n)).toBeGreaterThan(DEMO_REFERRALS.length * 2);
    });

    it('is idempotent: a second run creates nothing and gives the demo users new passwords', async () => {
      const count = async () =>
        query<{ agencies: string; users: string; referrals: string; events: string }>(
          `SELECT (SELECT count(*) FROM agencies) AS agencies, (SELECT count(*) FROM users) AS users,
                  (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM referral_events) AS events`,
        );
      const before = await count();
      const lines: string[] = [];
      const second = await runDemo(env, (l) => lines.push(l));
      expect(second.created).toEqual({ agencies: 0, users: 0, referrals: 0 });
      expect(await count()).toEqual(before);
      expect(lines.join('\n')).toContain('nothing created');
      expect(second.referrals.map((r) => r.state)).toEqual(first.referrals.map((r) => r.state));
      const user = DEMO_USERS[1].username;
      expect(second.passwords[user]).not.toBe(first.passwords[user]);
      expect(await verifyPassword(second.passwords[user], await passwordHash(user))).toBe(true);
      expect(await verifyPassword(first.passwords[user], await passwordHash(user))).toBe(false);
    }, 60_000);
  });

  describe('admin', () => {
    // As an operator runs it: no PASSWORD_HASH_COST (empty is unset), so the production cost.
    const operatorEnv = () => ({ ...env, PASSWORD_HASH_COST: '' });
    const PRODUCTION_HASH = /^scrypt\$16384\$8\$1\$/;

    it('reset-password prints a new password that replaces the old one', async () => {
      const old = await passwordHash('admin');
      const generation = async () =>
        (await query<{ token_generation: number }>(`SELECT token_generation FROM users WHERE username = 'admin'`))[0]
          .token_generation;
      const before = await generation();
      const output = await run((print) => runAdmin(['reset-password', 'admin'], operatorEnv(), print));
      const password = /reset .*: (\S+)$/m.exec(output)![1];
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(await verifyPassword(password, await passwordHash('admin'))).toBe(true);
      expect(await verifyPassword('admin-password-123', await passwordHash('admin'))).toBe(false);
      expect(await passwordHash('admin')).not.toBe(old);
      expect(await passwordHash('admin')).toMatch(PRODUCTION_HASH);
      // A new token generation: every token issued before carries the old one and is refused (test/user-lifecycle).
      expect(await generation()).toBe(before + 1);
      expect(output).toContain('tokens issued before now are revoked');
    }, 30_000);

    it('create-user creates a user in an agency by code and prints its password', async () => {
      const output = await run((print) =>
        runAdmin(
          ['create-user', 'hz.psb.newcomer', '--name', '新警员', '--agency', 'hz-psb', '--roles', 'police-officer'],
          operatorEnv(),
          print,
        ),
      );
      const password = /^password: (\S+)$/m.exec(output)![1];
      const [user] = await query<{ display_name: string; roles: string[]; password_hash: string }>(
        `SELECT display_name, roles, password_hash FROM users WHERE username = 'hz.psb.newcomer'`,
      );
      expect(user).toMatchObject({ display_name: '新警员', roles: ['police-officer'] });
      expect(await verifyPassword(password, user.password_hash)).toBe(true);
      expect(user.password_hash).toMatch(PRODUCTION_HASH);
    }, 30_000);

    it('refuses, with one line saying why: a taken username, a role that does not fit, unknown users, agencies and commands', async () => {
      const refusal = (argv: string[]) =>
        runAdmin(argv, env, () => undefined).then(
          () => 'accepted',
          (e: Error) => e.message,
        );
      expect(
        await refusal(['create-user', 'hz.psb.newcomer', '--name', 'x', '--agency', 'hz-psb', '--roles', 'police-officer']),
      ).toMatch(/username/i);
      expect(await refusal(['create-user', 'hz.x', '--name', 'x', '--agency', 'hz-psb', '--roles', 'procurator'])).toMatch(
        /request is not valid|does not fit/i,
      );
      expect(await refusal(['create-user', 'hz.y', '--name', 'x', '--agency', 'nowhere', '--roles', 'procurator'])).toMatch(
        /no agency with code "nowhere"/,
      );
      expect(await refusal(['reset-password', 'nobody'])).toMatch(/no user "nobody"/);
      expect(await refusal(['create-user', 'hz.z'])).toMatch(/needs --name/);
      expect(await refusal(['frobnicate'])).toMatch(/unknown command "frobnicate"[\s\S]*usage:/);
    }, 30_000);
  });
});
