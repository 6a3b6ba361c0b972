import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { NotificationStreams } from './notification-streams';
import { ListNotificationsQuery } from './notifications.dto';
import { NotificationPage, NotificationsService } from './notifications.service';

// A malformed id exists nowhere: 404, like someone else's notification.
const notificationId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Notification') });

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly streams: NotificationStreams,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's agency's notifications, newest first" })
  @ApiOkResponse({ type: NotificationPage })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(principal, query);
  }

  /** Server-Sent Events: `id: <notification id>`, `data: {id, type, referralId, title, body, createdAt}`; a comment heartbeat every 15 s. */
  @Get('stream')
  @ApiOperation({ summary: 'Server-Sent Events of new notifications; ends when the token expires or stops working' })
  @ApiOkResponse({
    description: 'an event stream: `id: <notification id>` and `data: <notification JSON without readAt>` per notification',
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: 'id: 6f1c…\ndata: {"id":"6f1c…","type":"deadline-breached",…}\n\n' },
      },
    },
  })
  stream(@CurrentPrincipal() principal: Principal, @Res() res: Response): void {
    this.streams.open(principal.agency.id, res);
  }

  @Post(':id/read')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the notification' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiNoContentResponse({ description: 'marked read' })
  @ApiProblems(404)
  async read(@CurrentPrincipal() principal: Principal, @Param('id', notificationId) id: string): Promise<void> {
    await this.notifications.markRead(principal, id);
  }
}
