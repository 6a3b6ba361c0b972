// A second API process of a TestApp: the same database, Redis, queue prefix and
// JWT secret, its own Nest app (own caches, own subscriber connections), as two
// replicas behind a load balancer would be.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { buildApp } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { connectRedis } from '../../src/redis/redis';
import type { TestApp } from './test-app';

export interface SiblingApp {
  app: INestApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function createSiblingApp(first: TestApp, overrides: Partial<AppConfig> = {}): Promise<SiblingApp> {
  const config: AppConfig = Object.assign(Object.create(Object.getPrototypeOf(first.config)), first.config, {
    RUN_WORKERS: false, // the first app runs the workers
    ...overrides,
  });
  const redis = await connectRedis(config.REDIS_URL, { skipEvictionCheck: config.REDIS_SKIP_EVICTION_CHECK });
  let app: INestApplication | undefined;
  try {
    app = await buildApp({
      config,
      databaseUrl: first.databaseUrl,
      redis,
      logger: process.env.TEST_LOGS ? undefined : ['error'],
    });
    await app.init();
  } catch (e) {
    await app?.close();
    redis.disconnect();
    throw e;
  }
  const server = app.getHttpServer();
  return {
    app,
    config,
    http: () => request(server),
    async close() {
      await app!.close();
      redis.disconnect();
    },
  };
}
