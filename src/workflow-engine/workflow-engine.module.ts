import { Module } from '@nestjs/common';
import { EffectsWriter } from './effects';
import { EngineEvents } from './engine-events';
import { WorkflowEngine } from './workflow-engine.service';

/** The engine depends on nothing above it: repositories, the clock and the config only. */
@Module({ providers: [WorkflowEngine, EffectsWriter, EngineEvents], exports: [WorkflowEngine, EngineEvents] })
export class WorkflowEngineModule {}
