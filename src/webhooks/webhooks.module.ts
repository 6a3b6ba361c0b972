import { Module } from '@nestjs/common';
import { WebhookProcessor } from './webhook.processor';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Subscriptions API, fan-out of timeline events to deliveries, and signed delivery with retries. */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookProcessor],
  exports: [WebhookProcessor],
})
export class WebhooksModule {}
