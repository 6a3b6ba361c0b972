import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { ProcedureViews } from './procedure.views';
import { ProceduresService } from './procedures.service';

/** What every procedure's thin controller stands on. */
@Module({
  imports: [WorkflowEngineModule],
  providers: [ProceduresService, ProcedureViews],
  exports: [ProceduresService, ProcedureViews],
})
export class ProceduresModule {}
