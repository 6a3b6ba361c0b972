// The links of a referral and the chain of a party (issue 11 §1).
import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { PartiesService } from './parties.service';
import { ChainGraph, LinksView } from './parties.views';

export class ChainQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3, default: 2, description: 'party → case steps from the party' })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3)
  depth?: number;
}

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => notFound(what) });

@ApiTags('parties')
@ApiBearerAuth()
@Controller('api/v1')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Get('referrals/:id/links')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the referral (a malformed id is a 404)' })
  @ApiOperation({
    summary: 'The cases linked to a referral through its parties, in any agency and region',
    description:
      'A linked case in the caller’s scope is shown as its summary; one outside it only as its existence, the agency holding it (name, region) and the shared party’s masked identifier.',
  })
  @ApiOkResponse({ type: LinksView })
  @ApiProblems(404)
  links(@CurrentPrincipal() principal: Principal, @Param('id', uuid('Referral')) id: string): Promise<LinksView> {
    return this.parties.links(principal, id);
  }

  @Get('parties/:id/chain')
  @ApiParam({ name: 'id', format: 'uuid', description: 'a party (of a links answer)' })
  @ApiOperation({
    summary: 'The graph of cases and parties reached from a party',
    description:
      'Cases outside the caller’s scope are leaves shown as their existence only; a party no case in scope states is a 404.',
  })
  @ApiOkResponse({ type: ChainGraph })
  @ApiProblems(400, 404)
  chain(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('Party')) id: string,
    @Query() query: ChainQuery,
  ): Promise<ChainGraph> {
    return this.parties.chain(principal, id, query.depth ?? 2);
  }
}
