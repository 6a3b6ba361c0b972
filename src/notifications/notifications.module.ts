// The inbox: the delivery job (imported by JobsModule), the HTTP API and the SSE fan-out.
import { Module } from '@nestjs/common';
import { NotificationProcessor } from './notification.processor';
import { NotificationStreams } from './notification-streams';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationProcessor, NotificationsService, NotificationStreams],
  exports: [NotificationProcessor, NotificationStreams],
})
export class NotificationsModule {}
