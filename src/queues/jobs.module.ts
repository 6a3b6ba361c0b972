// The worker role: every job name wired to its handler (run by WorkerHost) and
// the outbox relay. Both stay idle in a process with RUN_WORKERS=false.
import { Module } from '@nestjs/common';
import { DeadlineProcessor } from '../deadlines/deadline.processor';
import { DeadlineJobsModule } from '../deadlines/deadline-jobs.module';
import { OutboxModule } from '../outbox/outbox.module';
import { OutboxRelay } from '../outbox/outbox.relay';
import { NotificationProcessor } from '../notifications/notification.processor';
import { NotificationsModule } from '../notifications/notifications.module';
import { WebhookProcessor } from '../webhooks/webhook.processor';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { JOB_HANDLERS, type JobHandlers } from './job-handlers';
import { WorkerHost } from './worker-host';

@Module({
  imports: [DeadlineJobsModule, OutboxModule, NotificationsModule, WebhooksModule],
  providers: [
    {
      provide: JOB_HANDLERS,
      inject: [DeadlineProcessor, NotificationProcessor, WebhookProcessor],
      useFactory: (
        deadlines: DeadlineProcessor,
        notifications: NotificationProcessor,
        webhooks: WebhookProcessor,
      ): JobHandlers => ({
        'deadline.remind': (d) => deadlines.remind(d),
        'deadline.expire': (d) => deadlines.expire(d),
        'deadline.escalate': (d) => deadlines.escalate(d),
        'notification.deliver': (d) => notifications.deliver(d),
        'webhook.fanout': (d) => webhooks.fanout(d),
        'webhook.deliver': (d, attempt) => webhooks.deliver(d, attempt),
      }),
    },
    WorkerHost,
    OutboxRelay,
  ],
})
export class JobsModule {}
