import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { CaseGroupsController } from './case-groups.controller';
import { CaseGroupsService } from './case-groups.service';

/** Case groups (并案): referrals that share parties, read together under a lead unit. */
@Module({
  imports: [WorkflowEngineModule],
  controllers: [CaseGroupsController],
  providers: [CaseGroupsService],
  // The referral view shows the open group a referral is in.
  exports: [CaseGroupsService],
})
export class CaseGroupsModule {}
