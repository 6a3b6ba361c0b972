import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis';
import { Clock } from './clock';

/** Process-wide providers: the clock and the Redis connection opened before boot. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(redis: Redis): DynamicModule {
    return {
      module: CommonModule,
      providers: [Clock, { provide: REDIS, useValue: redis }],
      exports: [Clock, REDIS],
    };
  }
}
