import { DynamicModule, Module } from '@nestjs/common';
import { DeadlineJobsModule } from '../deadlines/deadline-jobs.module';
import { TestClockController } from './test-clock.controller';
import { TestClockService } from './test-clock.service';

@Module({})
export class TestClockModule {
  /** Nothing at all unless CLOCK_MODE=controllable: the routes then do not exist (404). */
  static forRoot(enabled: boolean): DynamicModule {
    if (!enabled) return { module: TestClockModule };
    return {
      module: TestClockModule,
      imports: [DeadlineJobsModule],
      controllers: [TestClockController],
      providers: [TestClockService],
    };
  }
}
