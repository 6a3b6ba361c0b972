import { Body, Controller, Get, Headers, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { parseIfMatch } from '../common/if-match';
import { ApiProblems } from '../common/openapi';
import { ListScreeningRulesQuery, PutScreeningRuleDto, RULE_CODE, ScreeningRuleChange, ScreeningRulePage } from './screening.dto';
import { ScreeningService } from './screening.service';

@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/v1/screening-rules')
export class ScreeningController {
  constructor(private readonly screening: ScreeningService) {}

  @Get()
  @ApiOperation({ summary: 'Screening rules: every version, or those in force on a date (anyone)' })
  @ApiOkResponse({ type: ScreeningRulePage })
  @ApiProblems(400)
  list(@Query() query: ListScreeningRulesQuery) {
    return this.screening.list(query.asOf);
  }

  @Put(':code')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Add the next version of a rule (admin)',
    description: 'The cases it can affect (its domain, an act date in its window) are re-screened in the same transaction.',
  })
  @ApiParam({
    name: 'code',
    schema: { type: 'string', pattern: RULE_CODE.source },
    description: 'the rule, e.g. product-quality-140',
  })
  @ApiHeader({ name: 'If-Match', required: false, schema: { type: 'string' }, description: 'the latest version of the rule' })
  @ApiOkResponse({ type: ScreeningRuleChange, description: 'the new version and how many cases it re-screened' })
  @ApiProblems(400, 412, 413)
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() dto: PutScreeningRuleDto,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.screening.addVersion(principal, code, dto, parseIfMatch(ifMatch));
  }
}
