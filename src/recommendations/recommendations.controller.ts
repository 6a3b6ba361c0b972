// The recommendation to transfer (检察意见 建议移送). The routes every procedure
// has come from procedureRoutes; here are its issue and the TRANSFER's referral.
import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiIdempotencyKey, ApiProblems } from '../common/openapi';
import { ListProceduresQuery } from '../procedures/procedure.dto';
import { procedureRoutes } from '../procedures/procedure-routes';
import type { EventPayload, LockedReferral } from '../workflow-engine/workflow-engine.service';
import { IssueRecommendationDto, RECOMMENDATION_BODIES, RecommendationPage, RecommendationView } from './recommendation.dto';
import { RECOMMENDATION, RecommendationsService } from './recommendations.service';

@ApiTags('transfer-recommendations')
@ApiBearerAuth()
@Controller('api/v1/recommendations')
export class RecommendationsController extends procedureRoutes({
  workflow: RECOMMENDATION,
  noun: 'recommendation',
  view: RecommendationView,
  page: RecommendationPage,
  query: ListProceduresQuery,
  bodies: RECOMMENDATION_BODIES,
}) {
  constructor(private readonly recommendations: RecommendationsService) {
    super();
  }

  protected prepareEvent(tx: EntityManager, principal: Principal, locked: LockedReferral, event: EventPayload) {
    return this.recommendations.prepareEvent(tx, principal, locked, event);
  }

  @Post()
  @ApiOperation({
    summary: 'Recommend that an agency transfer an administrative case (procurator)',
    description:
      'On a case in the procuratorate’s region (404 otherwise), at most one open recommendation per case (409). The agency must transfer it or explain in writing within 3 days.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: RecommendationView, description: 'the recommendation in state issued; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 413)
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: IssueRecommendationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.recommendations.issue(principal, dto, idempotencyKey);
    res.status(201).setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
