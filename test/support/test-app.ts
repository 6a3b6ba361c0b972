// One app per suite against its own freshly created PostgreSQL database and its
// own queue prefix, so suites run in any order, in parallel, and twice.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { connectConfiguredRedis, type RedisConnection } from '../../src/redis/redis';
import { BASE_REDIS_URL, deleteKeys, leaseRedisDatabase, runKeyPrefix, type RedisDatabaseLease } from './redis-db';

export const ADMIN_PASSWORD = 'admin-password-123';
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  databaseUrl: string;
  http: () => ReturnType<typeof request>;
  /** A bearer token for the user. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(): Promise<string> {
  const name = `caselink_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withServer((c) => c.query(`CREATE DATABASE ${name}`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export interface TestAppOptions {
  /** A Redis database of the suite's own (for suites that flush it); default: the shared TEST_REDIS_URL. */
  ownRedisDatabase?: boolean;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const lease: RedisDatabaseLease | undefined = options.ownRedisDatabase ? await leaseRedisDatabase() : undefined;
  const databaseName = await createDatabase();
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
    DATABASE_POOL_MAX: '4', // two suites in parallel, some with child processes, on one PostgreSQL
    LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'silent',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000', // suites log in and write in bursts
    ...env,
  });
  let redis: RedisConnection | undefined;
  let app: INestApplication | undefined;
  try {
    redis = await connectConfiguredRedis(config);
    app = await buildApp({ config, databaseUrl, redis, logger: process.env.TEST_LOGS ? undefined : ['error'] });
    await app.init();
  } catch (e) {
    await app?.close();
    if (redis) await deleteKeys(redis, `${config.QUEUE_PREFIX}:`).catch(() => undefined);
    redis?.disconnect();
    await lease?.release();
    await dropDatabase(databaseName);
    throw e;
  }
  const server = app.getHttpServer();
  const http = () => request(server);
  return {
    app,
    config,
    db: app.get(DataSource),
    databaseUrl,
    http,
    async login(username, password = username === 'admin' ? ADMIN_PASSWORD : 'password-12345') {
      const res = await http().post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async close() {
      await app!.close();
      // Queues, rate-limit counters, clock: everything under the prefix goes (children are stopped by now).
      await deleteKeys(redis!, `${config.QUEUE_PREFIX}:`);
      redis!.disconnect();
      await lease?.release();
      await dropDatabase(databaseName);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
