// The 'notification.deliver' job: turns one notify outbox row into one inbox
// row per recipient agency. The dedupe key (outbox key + agency) makes a job
// run twice write nothing new; only rows this run actually inserted are
// announced on Redis pub/sub, after commit, for the SSE streams of every process.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { OUTBOX_TOPICS } from '../outbox/outbox.writer';
import type { JobData } from '../queues/queues';
import { REDIS, type RedisConnection } from '../redis/redis';
import {
  DeadlineFact,
  isServiceNotice,
  notificationText,
  serviceNoticeText,
  TEMPLATE_DEADLINE_KINDS,
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

interface DeadlineRow {
  id: string;
  kind: string;
  due_at: Date;
  legal_basis: string;
  responsible_agency_id: string;
}

const toFact = (d: DeadlineRow): DeadlineFact => ({
  kind: d.kind,
  dueAt: d.due_at,
  legalBasis: d.legal_basis,
  responsibleAgencyId: d.responsible_agency_id,
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
          notificationText(payload.template, { ...facts, recipientAgencyId: agencyId, timeZone: this.config.APP_TIMEZONE });
      } else {
        if (!payload.notice) return [];
        const text = serviceNoticeText(payload.template, payload.notice);
        textFor = () => text;
      }
      const now = this.clock.now();
      const announced: NotificationAnnouncement[] = [];
      for (const agencyId of recipients) {
        const { title, body } = textFor(agencyId);
        const rows: { id: string }[] = await tx.query(
          `INSERT INTO notifications (agency_id, referral_id, type, title, body, dedupe_key, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [
            agencyId,
            isServiceNotice(payload.template) ? null : (payload.referralId ?? null),
            payload.template,
            title,
            body,
            `${row.dedupe_key}:${agencyId}`,
            now,
          ],
        );
        if (rows.length > 0) announced.push({ agencyId, id: rows[0].id });
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
    const [referral]: { reference_no: string; title: string }[] = await tx.query(
      `SELECT reference_no, title FROM referrals WHERE id = $1`,
      [referralId],
    );
    if (!referral) {
      this.logger.warn(`notification for unknown referral ${referralId}; ignored`);
      return null;
    }
    const kinds = TEMPLATE_DEADLINE_KINDS[payload.template] ?? [];
    // The deadlines as they stood when the event happened (a late delivery after a FORWARD
    // must not state the new unit's due times to the old one); newest first.
    const deadlines: DeadlineRow[] =
      kinds.length > 0
        ? await tx.query(
            `SELECT id, kind, due_at, legal_basis, responsible_agency_id FROM deadlines
              WHERE referral_id = $1 AND kind = ANY($2::text[])
                AND ($3::int IS NULL OR created_at <= (SELECT occurred_at FROM referral_events
                                                        WHERE referral_id = $1 AND seq = $3))
                AND ($3::int IS NOT NULL OR status <> 'cancelled')
              ORDER BY created_at DESC, id`,
            [referralId, kinds, payload.seq ?? null],
          )
        : [];
    const [deadline]: DeadlineRow[] = payload.deadlineId
      ? await tx.query(`SELECT id, kind, due_at, legal_basis, responsible_agency_id FROM deadlines WHERE id = $1`, [
          payload.deadlineId,
        ])
      : [];
    return {
      referral: { referenceNo: referral.reference_no, title: referral.title },
      deadlines: deadlines.map(toFact),
      deadline: deadline ? toFact(deadline) : undefined,
    };
  }
}
