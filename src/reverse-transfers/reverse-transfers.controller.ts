// Reverse transfer (行刑反向衔接): a case goes back from the police or the
// procuratorate to an administrative agency for a penalty. The routes every
// procedure has come from procedureRoutes; here is only the start.
import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiIdempotencyKey, ApiProblems } from '../common/openapi';
import { ListProceduresQuery } from '../procedures/procedure.dto';
import { procedureRoutes } from '../procedures/procedure-routes';
import {
  CreateReverseTransferDto,
  REVERSE_TRANSFER_BODIES,
  ReverseTransferPage,
  ReverseTransferView,
} from './reverse-transfer.dto';
import { ReverseTransfersService } from './reverse-transfers.service';

@ApiTags('reverse-transfers')
@ApiBearerAuth()
@Controller('api/v1/reverse-transfers')
export class ReverseTransfersController extends procedureRoutes({
  workflow: 'reverse-transfer',
  noun: 'reverse transfer',
  view: ReverseTransferView,
  page: ReverseTransferPage,
  query: ListProceduresQuery,
  bodies: REVERSE_TRANSFER_BODIES,
}) {
  constructor(private readonly reverseTransfers: ReverseTransfersService) {
    super();
  }

  @Post()
  @ApiOperation({
    summary: 'Transfer a case back to an administrative agency for a penalty (police-lead, procurator)',
    description:
      'A police lead after deciding not to file or withdrawing the case (basis not-filed / case-withdrawn), a procurator after deciding not to prosecute (not-prosecuted, with the opinion). With referralId, the case is that referral (closed, or declined by the police); its source agency is the default target.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: ReverseTransferView, description: 'the reverse transfer in state transferred; ETag: its version' })
  @ApiProblems(400, 403, 404, 409, 413)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateReverseTransferDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.reverseTransfers.create(principal, dto, idempotencyKey);
    res.status(201).setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
