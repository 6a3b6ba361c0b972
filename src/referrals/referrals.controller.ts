import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { notFound, validationFailed } from '../common/problem';
import { CreateReferralDto, ListReferralsQuery } from './referral.dto';
import { parseClientEvent } from './referral-event.dto';
import { ReferralsService } from './referrals.service';

// Malformed ids are "not found": existence is never leaked, and a bad id can exist nowhere.
const referralId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Referral') });

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!m) throw validationFailed([{ field: 'If-Match', message: 'If-Match must be a version such as "3"' }]);
  return Number(m[1]);
}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('api/v1/referrals')
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
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
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReferralsQuery) {
    return this.referrals.list(principal, query);
  }

  @Get(':id')
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
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the referral version, as in ETag' })
  @ApiBody({ schema: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } })
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
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string) {
    return this.audit.timeline(principal, id);
  }

  @Get(':id/verify')
  verify(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string) {
    return this.audit.verify(principal, id);
  }
}
