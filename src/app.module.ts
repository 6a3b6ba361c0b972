import { DynamicModule, MiddlewareConsumer, Module, NestModule, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminCasesModule } from './admin-cases/admin-cases.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CaseGroupsModule } from './case-groups/case-groups.module';
import { CommonModule } from './common/common.module';
import { strictJsonBody } from './common/json-body';
import { ProblemFilter } from './common/problem.filter';
import { validationFailed } from './common/problem';
import { flattenErrors, VALIDATOR_OPTIONS } from './common/validate';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { ReadDatabaseModule } from './database/read-database';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DirectoryModule } from './directory/directory.module';
import { HealthController } from './health/health.controller';
import { JobsModule } from './queues/jobs.module';
import { QueuesModule } from './queues/queues.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OpsModule } from './ops/ops.module';
import { ReferralsModule } from './referrals/referrals.module';
import { PartiesModule } from './parties/parties.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { ReverseTransfersModule } from './reverse-transfers/reverse-transfers.module';
import { ScreeningModule } from './screening/screening.module';
import { SupervisionModule } from './supervision/supervision.module';
import { TestClockModule } from './test-clock/test-clock.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkflowsController } from './workflows-api/workflows.controller';
import type { RedisConnection } from './redis/redis';

export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  redis: RedisConnection;
}

@Module({})
export class AppModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        CommonModule.forRoot(runtime.redis, runtime.databaseUrl),
        QueuesModule,
        TypeOrmModule.forRoot(dataSourceOptions(runtime.databaseUrl, runtime.config.DATABASE_POOL_MAX)),
        ReadDatabaseModule,
        DirectoryModule,
        AuthModule,
        DeadlinesModule,
        ReferralsModule,
        ReverseTransfersModule,
        RecommendationsModule,
        PartiesModule,
        NotificationsModule,
        WebhooksModule,
        JobsModule,
        SupervisionModule,
        AttachmentsModule,
        ScreeningModule,
        AdminCasesModule,
        CampaignsModule,
        CaseGroupsModule,
        OpsModule,
        TestClockModule.forRoot(runtime.config.CLOCK_MODE === 'controllable'),
      ],
      controllers: [HealthController, WorkflowsController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            ...VALIDATOR_OPTIONS,
            transform: true,
            exceptionFactory: (errors) => validationFailed(flattenErrors(errors)),
          }),
        },
      ],
    };
  }

  // Body parsing as Nest middleware, so that its errors (too large, malformed) reach the problem+json filter.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(strictJsonBody(this.config.MAX_BODY_BYTES)).forRoutes('*');
  }
}
