import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';

@Module({
  imports: [AuditModule, ProceduresModule, ReferralsModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsService],
})
export class RecommendationsModule {}
