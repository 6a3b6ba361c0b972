// The OpenAPI document without a database or Redis: Nest's preview mode builds
// the module graph and the routes but instantiates no provider, so nothing
// connects anywhere. Used by scripts/openapi.ts (npm run lint:api) and by the
// test that checks it equals what a running service serves at /docs-json.
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Redis } from 'ioredis';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { createOpenApiDocument } from './document';

export async function previewOpenApiDocument(): Promise<OpenAPIObject> {
  // controllable: the test-clock routes are part of the contract (without CLOCK_MODE=controllable they are 404)
  const config = loadConfig({ NODE_ENV: 'test', CLOCK_MODE: 'controllable', JWT_SECRET: 'x'.repeat(32) });
  const redis = new Redis({ lazyConnect: true }); // never connected: no provider runs
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: 'postgres://preview.invalid/none', redis }), {
    preview: true,
    logger: false,
    bodyParser: false,
  });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
    redis.disconnect();
  }
}
