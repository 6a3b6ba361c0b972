import { DynamicModule, Global, Module } from '@nestjs/common';
import { REDIS, type RedisConnection } from '../redis/redis';
import { DATABASE_URL } from '../database/database-url';
import { Clock } from './clock';

/** Process-wide providers: the clock, the Redis connection opened before boot, the database URL. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(redis: RedisConnection, databaseUrl: string): DynamicModule {
    return {
      module: CommonModule,
      providers: [Clock, { provide: REDIS, useValue: redis }, { provide: DATABASE_URL, useValue: databaseUrl }],
      exports: [Clock, REDIS, DATABASE_URL],
    };
  }
}
