// The console's way into Bull Board: a browser cannot add a bearer header to a
// page load, so an admin asks the API for a cookie. It carries a token of its
// own that lives five minutes and works only where the cookie goes (/admin/queues).
import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, RequireRoles, type Principal } from '../auth/principal';
import { Sessions } from '../auth/sessions.service';
import { ApiProblems } from '../common/openapi';
import { cookie, QUEUE_BOARD_PATH } from './queue-board';

const COOKIE_SECONDS = 300;

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/v1/queue-board')
export class QueueBoardController {
  constructor(private readonly sessions: Sessions) {}

  @Post('session')
  @HttpCode(204)
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Open the queue dashboard in this browser',
    description: `Sets an HttpOnly, SameSite=Strict cookie for ${QUEUE_BOARD_PATH} with a token that lives ${COOKIE_SECONDS} s; then open ${QUEUE_BOARD_PATH}.`,
  })
  @ApiNoContentResponse({ description: 'The cookie is set (Set-Cookie)' })
  @ApiProblems(401, 403, 503)
  async open(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { token, expiresIn } = await this.sessions.issueShortLived(principal, COOKIE_SECONDS);
    res.setHeader('Set-Cookie', cookie(req, token, expiresIn));
    res.setHeader('Cache-Control', 'no-store');
  }
}
