import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { DeadlineProcessor } from './deadline.processor';
import { DeadlineScheduler } from './deadline.scheduler';

/** The clocks: arming jobs for deadline rows, the sweeper, and the processor that fires them. */
@Module({
  imports: [WorkflowEngineModule, OutboxModule],
  providers: [DeadlineScheduler, DeadlineProcessor],
  exports: [DeadlineScheduler, DeadlineProcessor],
})
export class DeadlineJobsModule {}
