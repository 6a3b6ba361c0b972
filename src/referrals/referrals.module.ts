import { Module } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { ReferralViews } from './referral.views';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [WorkflowEngineModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralViews, AuditService],
})
export class ReferralsModule {}
