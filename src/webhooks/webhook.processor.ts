import { Injectable } from '@nestjs/common';
import type { JobData } from '../queues/queues';

/** Fans a timeline event out to matching subscriptions, and delivers one signed POST per delivery. */
@Injectable()
export class WebhookProcessor {
  async fanout(_data: JobData['webhook.fanout']): Promise<void> {
    // implemented in the webhooks work
  }

  async deliver(_data: JobData['webhook.deliver'], _attempt: { attemptsMade: number; attempts: number }): Promise<void> {
    // implemented in the webhooks work
  }
}
