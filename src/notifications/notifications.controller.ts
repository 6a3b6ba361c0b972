import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { notFound } from '../common/problem';
import { NotificationStreams } from './notification-streams';
import { ListNotificationsQuery } from './notifications.dto';
import { NotificationsService } from './notifications.service';

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
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(principal, query);
  }

  /** Server-Sent Events: `id: <notification id>`, `data: {id, type, referralId, title, body, createdAt}`; a comment heartbeat every 15 s. */
  @Get('stream')
  @ApiProduces('text/event-stream')
  stream(@CurrentPrincipal() principal: Principal, @Res() res: Response): void {
    this.streams.open(principal.agency.id, res);
  }

  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() principal: Principal, @Param('id', notificationId) id: string): Promise<void> {
    await this.notifications.markRead(principal, id);
  }
}
