// Operations: Prometheus metrics (GET /metrics, and the worker's METRICS_PORT),
// JSON logs, rate limits. Global, so that the processors can count what they do
// without importing this module; the engine is observed (EngineEvents), never calls in. The pieces in front of
// routing (helmet, HTTP timing, /admin/queues) are installed by ops.setup.ts.
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { REDIS, type RedisConnection } from '../redis/redis';
import { loggerParams } from './logging';
import { AuthModule } from '../auth/auth.module';
import { MetricsController } from './metrics.controller';
import { QueueBoardController } from './queue-board.controller';
import { MetricsService } from './metrics.service';
import { RateLimitGuard, throttlerOptions } from './rate-limit';
import { WorkerMetricsServer } from './worker-metrics.server';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';

@Global()
@Module({
  imports: [
    AuthModule, // the queue dashboard's cookie is issued by the sessions
    WorkflowEngineModule, // metrics listen to the engine's step reports
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config) }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: RedisConnection) => throttlerOptions(config, redis),
    }),
  ],
  controllers: [MetricsController, QueueBoardController],
  providers: [MetricsService, WorkerMetricsServer, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [MetricsService],
})
export class OpsModule {}
