import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { OutboxModule } from '../outbox/outbox.module';
import { EffectsWriter } from './effects';
import { WorkflowEngine } from './workflow-engine.service';

@Module({ imports: [DeadlinesModule, OutboxModule], providers: [WorkflowEngine, EffectsWriter], exports: [WorkflowEngine] })
export class WorkflowEngineModule {}
