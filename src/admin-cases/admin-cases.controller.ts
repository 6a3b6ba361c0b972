import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { ApiIdempotencyKey, ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { CreateAdminCaseDto, ListAdminCasesQuery } from './admin-case.dto';
import { AdminCasePage, AdminCaseView, ImportReport } from './admin-case.views';
import { AdminCasesService } from './admin-cases.service';

// Malformed ids are "not found": existence is never leaked, and a bad id can exist nowhere.
const caseId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Administrative case') });

@ApiTags('admin-cases')
@ApiBearerAuth()
@Controller('api/v1/admin-cases')
export class AdminCasesController {
  constructor(private readonly cases: AdminCasesService) {}

  @Post()
  @ApiOperation({
    summary: 'Record an administrative case (agency-officer of a regulator)',
    description: 'Screened at once on the rules in force on its act date.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: AdminCaseView, description: 'the case with its screening; ETag: its version' })
  @ApiProblems(400, 403, 409, 413)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateAdminCaseDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, body } = await this.cases.create(principal, dto, idempotencyKey);
    res.status(status).setHeader('ETag', `"${body.version}"`);
    return body;
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import cases from CSV or NDJSON (agency-officer of a regulator)',
    description:
      'Each row validated as a POST body; upserted on (agency, caseNo): identical rows change nothing, changed ones are replaced and re-screened. Header names: docs/api.md.',
  })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    schema: { type: 'string', example: 'caseNo,domain,title,summary,partyName,decisionNo,decidedAt,penaltyKinds\n…' },
  })
  @ApiOkResponse({ type: ImportReport })
  @ApiProblems(400, 403, 413)
  import(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Headers('content-type') contentType: string | undefined,
  ) {
    return this.cases.import(principal, contentType, req.body);
  }

  @Get()
  @ApiOperation({
    summary: "List administrative cases in the caller's scope",
    description: 'Newest first; with flag (the screening list), most serious first.',
  })
  @ApiOkResponse({ type: AdminCasePage })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAdminCasesQuery) {
    return this.cases.list(principal, query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the case (a malformed id is a 404)' })
  @ApiOperation({ summary: 'Read an administrative case' })
  @ApiOkResponse({ type: AdminCaseView, description: 'ETag: the version' })
  @ApiProblems(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', caseId) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.cases.get(principal, id);
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
