import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CaseGroupsModule } from '../case-groups/case-groups.module';
import { PartiesModule } from '../parties/parties.module';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { ReferralViews } from './referral.views';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [AuditModule, WorkflowEngineModule, PartiesModule, CaseGroupsModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralViews],
  // A transfer on a recommendation submits its referral through the same service.
  exports: [ReferralsService],
})
export class ReferralsModule {}
