import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { ApiIdempotencyKey, ApiProblems } from '../common/openapi';
import { parseIfMatch } from '../common/if-match';
import { notFound } from '../common/problem';
import { ChainCheck, Timeline } from '../audit/timeline.views';
import { CreateReferralDto, ListReferralsQuery } from './referral.dto';
import { EVENT_DTOS, parseClientEvent, referralEventBodySchema } from './referral-event.dto';
import { ReferralPage, ReferralView } from './referral.views';
import { ReferralsService } from './referrals.service';

// Malformed ids are "not found": existence is never leaked, and a bad id can exist nowhere.
const referralId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Referral') });
const REFERRAL_ID = { name: 'id', format: 'uuid', description: 'the referral (a malformed id is a 404)' };

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Submit a transfer (agency-officer)', description: 'The target must be a police agency.' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ReferralView, description: 'the referral in state submitted; ETag: its version' })
  @ApiProblems(400, 403, 409, 413)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateReferralDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, body } = await this.referrals.create(principal, dto, idempotencyKey);
    res.status(status).setHeader('ETag', `"${body.version}"`);
    return body;
  }

  @Get()
  @ApiOperation({ summary: "List referrals in the caller's scope, newest first" })
  @ApiOkResponse({ type: ReferralPage })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReferralsQuery) {
    return this.referrals.list(principal, query);
  }

  @Get(':id')
  @ApiParam(REFERRAL_ID)
  @ApiOperation({ summary: 'Read a referral' })
  @ApiOkResponse({ type: ReferralView, description: 'ETag: the version' })
  @ApiProblems(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', referralId) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const referral = await this.referrals.get(principal, id);
    res.setHeader('ETag', `"${referral.version}"`);
    return referral;
  }

  @Post(':id/events')
  @ApiParam(REFERRAL_ID)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a workflow event',
    description: 'One body schema per event type, chosen by `type`; who may send which event in which state: docs/api.md.',
  })
  @ApiHeader({ name: 'If-Match', required: false, schema: { type: 'string' }, description: 'the referral version, as in ETag' })
  @ApiExtraModels(...EVENT_DTOS.values())
  @ApiBody({ schema: referralEventBodySchema() })
  @ApiOkResponse({ type: ReferralView, description: 'the updated referral; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 412, 413)
  async sendEvent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', referralId) id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const event = parseClientEvent(body);
    const referral = await this.referrals.sendEvent(principal, id, event, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${referral.version}"`);
    return referral;
  }

  @Get(':id/timeline')
  @ApiParam(REFERRAL_ID)
  @ApiOperation({ summary: 'The timeline: every accepted event, oldest first, hash-chained' })
  @ApiOkResponse({ type: Timeline })
  @ApiProblems(404)
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string): Promise<Timeline> {
    return this.audit.timeline(principal, id);
  }

  @Get(':id/verify')
  @ApiParam(REFERRAL_ID)
  @ApiOperation({ summary: 'Recompute the hash chain of the timeline' })
  @ApiOkResponse({ type: ChainCheck })
  @ApiProblems(404)
  verify(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string): Promise<ChainCheck> {
    return this.audit.verify(principal, id);
  }
}
