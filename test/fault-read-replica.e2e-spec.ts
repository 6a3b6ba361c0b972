// The supervision views read from a real streaming standby (DATABASE_READ_URL),
// everything else from the primary. A primary and a standby are made here
// (initdb, pg_basebackup -R), the app runs with DATABASE_URL=primary and
// DATABASE_READ_URL=standby; with replay paused on the standby, a referral that
// has become overdue is at once visible through GET /referrals/:id (primary) and
// absent from the overdue view and the stats (standby) until replay resumes.
// A stopped standby is reported by readiness (still 200) and makes supervision 503, and nothing else.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { ReadDatabase } from '../src/database/read-database';
import { connectConfiguredRedis, type RedisConnection } from '../src/redis/redis';
import { startPrimaryAndStandby, type PgPrimaryAndStandby } from './support/pg-replica';
import { BASE_REDIS_URL, deleteKeys, runKeyPrefix } from './support/redis-db';
import { ADMIN_PASSWORD, type TestApp } from './support/test-app';
import { until } from './support/until';
import { actions, buildWorld, type World } from './support/world';

describe('read replica for the supervision views', () => {
  let pg: PgPrimaryAndStandby | undefined;
  let redis: RedisConnection | undefined;
  let app: INestApplication | undefined;
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  const dataDir = mkdtempSync(join(tmpdir(), 'caselink-replica-'));
  const prefix = `${runKeyPrefix()}replica-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    pg = await startPrimaryAndStandby();
    await pg.primary.query(`CREATE DATABASE caselink`);
    await pg.caughtUp();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.primary.url('caselink'),
      DATABASE_READ_URL: pg.standby.url('caselink'),
      DATABASE_POOL_MAX: '4',
      REDIS_URL: BASE_REDIS_URL,
      QUEUE_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD,
      DATA_DIR: dataDir,
      CLOCK_MODE: 'controllable',
      LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'silent',
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
      RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    });
    redis = await connectConfiguredRedis(config);
    app = await buildApp({ config, databaseUrl: config.DATABASE_URL!, redis, logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer();
    const http = () => request(server);
    t = {
      app,
      config,
      db: app.get(DataSource),
      databaseUrl: config.DATABASE_URL!,
      prebuiltWorld: false, // its own primary: no template to clone there
      http,
      port: (server.address() as AddressInfo).port,
      token: (username) => t.login(username),
      async login(username, password = username === 'admin' ? ADMIN_PASSWORD : 'password-12345') {
        const res = await http().post('/api/v1/auth/login').send({ username, password });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body.accessToken as string;
      },
      close: async () => undefined, // afterAll below
    };
    w = await buildWorld(t);
    a = actions(t, w);
  }, 120_000);

  afterAll(async () => {
    // Each step on its own, so that the servers and their dirs go even if one fails.
    await app?.close().catch((e) => console.error(`closing the app: ${(e as Error).message}`));
    if (redis) await deleteKeys(redis, `${prefix}:`).catch(() => undefined);
    redis?.disconnect();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const overdueIds = async (user: 'supervisor' | 'admin') => {
    const res = await t.http().get('/api/v1/supervision/overdue').set('Authorization', a.auth(user));
    expect(res.status).toBe(200);
    return (res.body.items as { referral: { id: string } }[]).map((i) => i.referral.id);
  };
  const statsTotal = async () => {
    const res = await t.http().get('/api/v1/supervision/stats?groupBy=state').set('Authorization', a.auth('supervisor'));
    expect(res.status).toBe(200);
    return (res.body.groups as { total: number }[]).reduce((n, g) => n + g.total, 0);
  };

  const exported = async () => {
    const res = await t.http().get('/api/v1/supervision/export.csv').set('Authorization', a.auth('supervisor'));
    expect(res.status).toBe(200);
    return res.text;
  };

  it('reports the replica in readiness, and it is a standby', async () => {
    expect(t.app.get(ReadDatabase).isReplica).toBe(true);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up', readReplica: 'up' } });
    const [{ recovery }] = await t.app.get(ReadDatabase).query<{ recovery: boolean }[]>(`SELECT pg_is_in_recovery() AS recovery`);
    expect(recovery).toBe(true);
  });

  it('answers overdue, stats and export from the standby: a paused replay hides a new overdue referral that the primary shows', async () => {
    await pg!.caughtUp();
    const totalBefore = await statsTotal();
    await pg!.standby.query(`SELECT pg_wal_replay_pause()`);
    try {
      await until(
        async () => (await pg!.standby.query<{ s: string }>(`SELECT pg_get_wal_replay_pause_state() AS s`))[0].s,
        (s) => s === 'paused',
      );
      const r = await a.submit({ title: 'overdue while the standby waits' });
      // 25 h later the 24 h acknowledge deadline has expired: on the primary at once.
      await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 25 }).expect(200);
      const breached = await until(
        async () => (await a.get(r.id, 'supervisor')).body,
        (b) => b.deadlines?.some((d: { kind: string; status: string }) => d.kind === 'acknowledge' && d.status === 'breached'),
      );
      expect(breached.id).toBe(r.id);
      const timeline = await t.http().get(`/api/v1/referrals/${r.id}/timeline`).set('Authorization', a.auth('admin'));
      expect(timeline.body.items.map((e: { type: string }) => e.type)).toContain('DEADLINE_EXPIRED');

      // The standby has not replayed any of it: the supervision views do not know the referral.
      expect(await overdueIds('supervisor')).not.toContain(r.id);
      expect(await overdueIds('admin')).not.toContain(r.id);
      expect(await statsTotal()).toBe(totalBefore);
      expect(await exported()).not.toContain(String(r.referenceNo));

      await pg!.standby.query(`SELECT pg_wal_replay_resume()`);
      await until(
        () => overdueIds('supervisor'),
        (ids) => ids.includes(r.id),
      );
      expect(await statsTotal()).toBe(totalBefore + 1);
      expect(await exported()).toContain(String(r.referenceNo));
    } finally {
      await pg!.standby.query(`SELECT pg_wal_replay_resume()`).catch(() => undefined);
    }
  });

  it('a stopped standby is reported down and makes supervision 503, while the process stays ready and reads on the primary go on', async () => {
    const r = await a.submit({ title: 'read on the primary' });
    await pg!.stopServer(pg!.standby);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up', readReplica: 'down' } });
    const overdue = await t.http().get('/api/v1/supervision/overdue').set('Authorization', a.auth('supervisor'));
    expect(overdue.status).toBe(503);
    expect((await a.get(r.id, 'supervisor')).status).toBe(200);
    const list = await t.http().get('/api/v1/referrals').set('Authorization', a.auth('officer'));
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(r.id);
  });
});
