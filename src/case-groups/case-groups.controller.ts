// Case groups (并案, issue 11 §2): thin routes over CaseGroupsService.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, RequireRoles, type Principal } from '../auth/principal';
import { parseIfMatch } from '../common/if-match';
import { ApiIdempotencyKey, ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import {
  AddCaseGroupMemberDto,
  CaseGroupPage,
  CaseGroupView,
  ChangeReasonQuery,
  CreateCaseGroupDto,
  DissolveCaseGroupDto,
  ListCaseGroupsQuery,
} from './case-group.dto';
import { CaseGroupsService } from './case-groups.service';

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => notFound(what) });
const GROUP_ID = { name: 'id', format: 'uuid', description: 'the case group (a malformed id is a 404)' } as const;
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  schema: { type: 'string' },
  description: 'the group version, as in ETag',
} as const;

@ApiTags('case-groups')
@ApiBearerAuth()
@Controller('api/v1/case-groups')
export class CaseGroupsController {
  constructor(private readonly groups: CaseGroupsService) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('police-lead')
  @ApiOperation({
    summary: 'Form a case group (并案) of referrals that share parties (police-lead)',
    description:
      'Every referral must be readable by the caller (else 404), a referral (else 400), share a party with another of them (else 400) and be in no open group (409 ALREADY_EXISTS); the lead unit must hold one of them (else 400). The members stay separate procedures.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CaseGroupView, description: 'the group; ETag: its version' })
  @ApiProblems(400, 404, 409, 413)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateCaseGroupDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseGroupView> {
    const group = await this.groups.create(principal, dto, idempotencyKey);
    res.setHeader('ETag', `"${group.version}"`);
    return group;
  }

  @Get()
  @ApiOperation({ summary: 'The case groups in which the caller may see at least one member, newest first' })
  @ApiOkResponse({ type: CaseGroupPage })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCaseGroupsQuery): Promise<CaseGroupPage> {
    return this.groups.list(principal, query);
  }

  @Get(':id')
  @ApiParam(GROUP_ID)
  @ApiOperation({
    summary: 'A case group: its members’ states and deadlines together',
    description:
      'A member outside the caller’s scope is shown only as its existence and the police unit holding it (name, region).',
  })
  @ApiOkResponse({ type: CaseGroupView, description: 'ETag: the version' })
  @ApiProblems(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('Case group')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseGroupView> {
    const group = await this.groups.get(principal, id);
    res.setHeader('ETag', `"${group.version}"`);
    return group;
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiParam(GROUP_ID)
  @ApiOperation({
    summary: 'Add a referral to a case group (police-lead of the lead or forming unit)',
    description: 'The referral must be readable by the caller, share a party with a member and be in no open group.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: CaseGroupView, description: 'the changed group; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 412, 413)
  async addMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('Case group')) id: string,
    @Body() dto: AddCaseGroupMemberDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseGroupView> {
    const group = await this.groups.addMember(principal, id, dto, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${group.version}"`);
    return group;
  }

  @Delete(':id/members/:referralId')
  @ApiParam(GROUP_ID)
  @ApiParam({ name: 'referralId', format: 'uuid', description: 'a current member the caller may read' })
  @ApiOperation({
    summary: 'Remove a referral from a case group (police-lead of the lead or forming unit)',
    description: 'A group keeps at least two members (else 409: dissolve it instead). The reason is a query parameter.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: CaseGroupView, description: 'the changed group; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 412)
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('Case group')) id: string,
    @Param('referralId', uuid('Member')) referralId: string,
    @Query() query: ChangeReasonQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseGroupView> {
    const group = await this.groups.removeMember(principal, id, referralId, query.reason, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${group.version}"`);
    return group;
  }

  @Post(':id/dissolve')
  @HttpCode(200)
  @ApiParam(GROUP_ID)
  @ApiOperation({
    summary: 'Dissolve a case group (police-lead of the lead or forming unit)',
    description: 'Its members leave it; each stays the procedure it was. The group and its history stay readable.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: CaseGroupView, description: 'the dissolved group; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 412, 413)
  async dissolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('Case group')) id: string,
    @Body() dto: DissolveCaseGroupDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseGroupView> {
    const group = await this.groups.dissolve(principal, id, dto.reason, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${group.version}"`);
    return group;
  }
}
