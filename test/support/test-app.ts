// One app per suite against its own PostgreSQL database and its own queue prefix,
// so suites run in any order, in parallel, and twice. The database is a clone of
// a template the global setup migrated and seeded once per run (test/support/templates.ts):
// the bare one (migrations, calendars, admin) or, with `{ world: true }`, the one
// that also holds world.ts's agencies and users.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Sessions } from '../../src/auth/sessions.service';
import { buildApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { connectConfiguredRedis, type RedisConnection } from '../../src/redis/redis';
import { createDatabase, databaseUrlFor, dropDatabase, TEMPLATE_ENV } from './databases';
import { BASE_REDIS_URL, deleteKeys, leaseRedisDatabase, runKeyPrefix, type RedisDatabaseLease } from './redis-db';

export { createDatabase, databaseUrlFor, dropDatabase, withServer } from './databases';

export const ADMIN_PASSWORD = 'admin-password-123';
/** The scrypt cost of the test apps and their child processes (the production one is PRODUCTION_HASH_COST). */
export const TEST_HASH_COST = '1024';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  databaseUrl: string;
  /** The database was cloned with world.ts's agencies and users in it: buildWorld only looks them up. */
  prebuiltWorld: boolean;
  http: () => ReturnType<typeof request>;
  /** The port the app listens on, on 127.0.0.1 (for clients other than SuperTest: streams, fetch, browsers). */
  port: number;
  /** A bearer token for the user, through POST /auth/login (scrypt): for tests about logging in. */
  login(username: string, password?: string): Promise<string>;
  /** A bearer token for the user as the login would issue it (Sessions.issue), without the password hash. */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** A Redis database of the suite's own (for suites that flush it); default: the shared TEST_REDIS_URL. */
  ownRedisDatabase?: boolean;
  /** Start from the template with world.ts's agencies and users (buildWorld then mints tokens only). */
  world?: boolean;
  /** The database to run on (kept on close); default: a new clone of this run's template, dropped on close. */
  databaseName?: string;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const worldTemplate = options.world ? process.env[TEMPLATE_ENV.world] : undefined;
  const ownDatabase = options.databaseName === undefined;
  // Without templates (a config without the global setup), a fresh database the app migrates and seeds at boot.
  const databaseName = options.databaseName ?? (await createDatabase(worldTemplate ?? process.env[TEMPLATE_ENV.bare]));
  const lease: RedisDatabaseLease | undefined = options.ownRedisDatabase ? await leaseRedisDatabase() : undefined;
  const databaseUrl = databaseUrlFor(databaseName);
  const dataDir = mkdtempSync(join(tmpdir(), 'caselink-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: lease?.url ?? BASE_REDIS_URL,
    QUEUE_PREFIX: `${runKeyPrefix()}${randomBytes(4).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD,
    DATA_DIR: dataDir,
    DATABASE_POOL_MAX: '4', // three suites in parallel, some with child processes, on one PostgreSQL
    LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'silent',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000', // suites log in and write in bursts
    // scrypt at 1/16 of the production cost: suites create users and log in by the hundred (25–200 ms each at
    // 16384 on a 2-core machine, by its load). The production cost is judged in test/cli.e2e-spec.ts.
    PASSWORD_HASH_COST: TEST_HASH_COST,
    ...env,
  });
  let redis: RedisConnection | undefined;
  let app: INestApplication | undefined;
  const cleanUp = async () => {
    if (redis) await deleteKeys(redis, `${config.QUEUE_PREFIX}:`);
    redis?.disconnect();
    await lease?.release();
    if (ownDatabase) await dropDatabase(databaseName);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    redis = await connectConfiguredRedis(config);
    app = await buildApp({ config, databaseUrl, redis, logger: process.env.TEST_LOGS ? undefined : ['error'] });
    // Listening once: a server that is not listening, SuperTest listens on and closes again around every request.
    await app.listen(0, '127.0.0.1');
  } catch (e) {
    await app?.close().catch(() => undefined);
    await cleanUp().catch(() => undefined);
    throw e;
  }
  const server = app.getHttpServer();
  const { port } = server.address() as AddressInfo;
  const http = () => request(server);
  const db = app.get(DataSource);
  return {
    app,
    config,
    db,
    databaseUrl,
    prebuiltWorld: worldTemplate !== undefined,
    http,
    port,
    async login(username, password = username === 'admin' ? ADMIN_PASSWORD : 'password-12345') {
      const res = await http().post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async token(username) {
      const [user] = await db.query(
        `SELECT id, username, active, token_generation AS "tokenGeneration" FROM users WHERE username = $1`,
        [username],
      );
      if (!user?.active) throw new Error(`token: no active user ${username}`); // the login would refuse it too
      return app!.get(Sessions).issue(user).accessToken;
    },
    async close() {
      await app!.close();
      // Queues, rate-limit counters, clock: everything under the prefix goes (children are stopped by now).
      await cleanUp();
    },
  };
}
