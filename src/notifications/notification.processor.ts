// The 'notification.deliver' job: turns one notify outbox row into one inbox
// row per recipient agency. The dedupe key (outbox key + agency) makes a job
// run twice write nothing new; only rows this run actually inserted are
// announced on Redis pub/sub, after commit, for the SSE streams of every process.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { deadlinesAtEvent, findDeadline, type DeadlineRow } from '../deadlines/deadlines.repository';
import { OUTBOX_TOPICS } from '../outbox/outbox.writer';
import type { JobData } from '../queues/queues';
import { REDIS, type RedisConnection } from '../redis/redis';
import { insertNotification } from './notifications.repository';
import { referralHeading } from '../referrals/referrals.repository';
import {
  DeadlineFact,
  isServiceNotice,
  deadlineKindsStated,
  notificationText,
  serviceNoticeText,
  type NotificationText,
  type ServiceNoticeFacts,
} from './notification-texts';

export interface NotifyPayload {
  /** Absent on a service notice (e.g. calendar-missing), which names no referral. */
  referralId?: string;
  seq?: number;
  template: string;
  recipientAgencyIds: string[];
  deadlineId?: string;
  /** Service notices: their facts travel in the payload. */
  notice?: ServiceNoticeFacts;
}

/** The pub/sub message announcing a new inbox row. */
export interface NotificationAnnouncement {
  agencyId: string;
  id: string;
}

export const notificationsChannel = (config: AppConfig) => `${config.QUEUE_PREFIX}:notifications`;

const toFact = (d: DeadlineRow): DeadlineFact => ({
  kind: d.kind,
  dueAt: d.dueAt,
  legalBasis: d.legalBasis,
  responsibleAgencyId: d.responsibleAgencyId,
});

@Injectable()
export class NotificationProcessor {
  private readonly logger = new Logger('NotificationProcessor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async deliver({ outboxId }: JobData['notification.deliver']): Promise<void> {
    const [row]: { topic: string; dedupe_key: string; payload: NotifyPayload }[] = await this.db.query(
      `SELECT topic, dedupe_key, payload FROM outbox WHERE id = $1`,
      [outboxId],
    );
    if (!row) return; // vanished: nothing to deliver
    if (row.topic !== OUTBOX_TOPICS.notification) {
      this.logger.warn(`outbox ${outboxId} is a ${row.topic} row, not a notification; ignored`);
      return;
    }
    const payload = row.payload;
    const recipients = [...new Set(payload.recipientAgencyIds ?? [])];
    if (recipients.length === 0) return;

    const inserted = await this.db.transaction(async (tx) => {
      let textFor: (agencyId: string) => NotificationText;
      // A service notice names no referral, also when an outbox row of an older version carries one.
      if (payload.referralId && !isServiceNotice(payload.template)) {
        const facts = await this.loadFacts(tx, payload.referralId, payload);
        if (!facts) return [];
        textFor = (agencyId) =>
          notificationText(facts.workflow, payload.template, {
            ...facts,
            recipientAgencyId: agencyId,
            timeZone: this.config.APP_TIMEZONE,
          });
      } else {
        if (!payload.notice) return [];
        const text = serviceNoticeText(payload.template, payload.notice);
        textFor = () => text;
      }
      const now = this.clock.now();
      const announced: NotificationAnnouncement[] = [];
      for (const agencyId of recipients) {
        const { title, body } = textFor(agencyId);
        const id = await insertNotification(tx, {
          agencyId,
          referralId: isServiceNotice(payload.template) ? null : (payload.referralId ?? null),
          type: payload.template,
          title,
          body,
          dedupeKey: `${row.dedupe_key}:${agencyId}`,
          createdAt: now,
        });
        if (id) announced.push({ agencyId, id });
      }
      return announced;
    });

    // After commit only: a stream must never show a row a rollback took back.
    // Publishing is best effort; the inbox is the truth and a client catches up by listing.
    for (const message of inserted) {
      try {
        await this.redis.publish(notificationsChannel(this.config), JSON.stringify(message));
      } catch (e) {
        this.logger.warn(`could not announce notification ${message.id}: ${(e as Error).message}`);
      }
    }
  }

  private async loadFacts(tx: EntityManager, referralId: string, payload: NotifyPayload) {
    const referral = await referralHeading(tx, referralId);
    if (!referral) {
      this.logger.warn(`notification for unknown referral ${referralId}; ignored`);
      return null;
    }
    const kinds = deadlineKindsStated(referral.workflow, payload.template);
    // The deadlines as they stood when the event happened, newest first.
    const deadlines = kinds.length > 0 ? await deadlinesAtEvent(tx, referralId, kinds, payload.seq ?? null) : [];
    const deadline = payload.deadlineId ? await findDeadline(tx, payload.deadlineId) : null;
    return {
      workflow: referral.workflow,
      referral: { referenceNo: referral.referenceNo, title: referral.title },
      deadlines: deadlines.map(toFact),
      deadline: deadline ? toFact(deadline) : undefined,
    };
  }
}
