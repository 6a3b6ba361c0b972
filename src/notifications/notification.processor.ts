import { Injectable } from '@nestjs/common';
import type { JobData } from '../queues/queues';

/** Writes inbox rows for a notify outbox row (one per recipient agency, idempotently) and announces them for SSE. */
@Injectable()
export class NotificationProcessor {
  async deliver(_data: JobData['notification.deliver']): Promise<void> {
    // implemented in the notifications work
  }
}
