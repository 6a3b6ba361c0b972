// Deadline jobs: re-read the row, ignore stale versions and resolved deadlines,
// and send DEADLINE_REMINDER / DEADLINE_EXPIRED through the same transition path
// as a user, as the system actor, so the timeline records them.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationTemplate } from '../../workflows/referral/referral.notifications';
import { Clock } from '../common/clock';
import { DomainException } from '../common/problem';
import { MetricsService } from '../ops/metrics.service';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { SYSTEM, WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import type { JobData } from '../queues/queues';
import { regionPrefix } from '../auth/scope';

interface DeadlineRow {
  id: string;
  referral_id: string;
  kind: string;
  version: number;
  status: string;
  reminded_at: Date | null;
  remind_at: Date | null;
  due_at: Date;
  resolved_at: Date | null;
  escalation_level: number;
}

/** The region one administrative level above: district → prefecture → province → nation. */
export function parentRegion(code: string): string {
  const prefix = regionPrefix(code);
  if (prefix.length === 6) return code.slice(0, 4) + '00';
  if (prefix.length === 4) return code.slice(0, 2) + '0000';
  return '000000';
}

@Injectable()
export class DeadlineProcessor {
  private readonly logger = new Logger('DeadlineProcessor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  async remind({ deadlineId, version }: JobData['deadline.remind']): Promise<void> {
    const d = await this.find(deadlineId);
    if (!d) return;
    await this.quietly(
      this.engine
        .send(
          d.referral_id,
          SYSTEM,
          { type: 'DEADLINE_REMINDER', deadlineId, kind: d.kind as never },
          {
            // A reminder that comes only after the due time (a service down for days) is moot: the expiry speaks for it.
            precondition: (tx) =>
              this.still(
                tx,
                deadlineId,
                version,
                (row) => row.status === 'pending' && !row.reminded_at && row.due_at > this.clock.now(),
              ),
          },
        )
        .then((sent) => this.metrics.deadlineFired('reminder', d.kind, d.remind_at, sent)),
    );
  }

  async expire({ deadlineId, version }: JobData['deadline.expire']): Promise<void> {
    const d = await this.find(deadlineId);
    if (!d) return;
    await this.quietly(
      this.engine
        .send(
          d.referral_id,
          SYSTEM,
          { type: 'DEADLINE_EXPIRED', deadlineId, kind: d.kind as never },
          { precondition: (tx) => this.still(tx, deadlineId, version, (row) => row.status === 'pending') },
        )
        .then((sent) => this.metrics.deadlineFired('expiry', d.kind, d.due_at, sent)),
    );
  }

  /** Level 2: the breach is still unresolved after the grace period; the supervisors one level up hear of it. */
  async escalate({ deadlineId, version }: JobData['deadline.escalate']): Promise<void> {
    await this.db.transaction(async (tx) => {
      const ok = await this.still(
        tx,
        deadlineId,
        version,
        (row) => row.status === 'breached' && !row.resolved_at && row.escalation_level < 2,
      );
      if (!ok) return;
      const [[d]]: [{ referral_id: string; kind: string; region_code: string }[]] = await tx.query(
        `UPDATE deadlines d SET escalation_level = 2, updated_at = $2 FROM referrals r
          WHERE d.id = $1 AND r.id = d.referral_id
          RETURNING d.referral_id, d.kind, r.region_code`,
        [deadlineId, this.clock.now()],
      );
      const supervisors: { id: string }[] = await tx.query(
        `SELECT id FROM agencies WHERE kind = 'supervisor' AND region_code = $1`,
        [parentRegion(d.region_code)],
      );
      if (supervisors.length === 0) return;
      await this.outbox.write(tx, OUTBOX_TOPICS.notification, `escalate:${deadlineId}:v${version}`, {
        referralId: d.referral_id,
        template: 'deadline-escalated' satisfies NotificationTemplate,
        recipientAgencyIds: supervisors.map((s) => s.id),
        deadlineId,
      });
      this.logger.log(`deadline ${deadlineId} (${d.kind}) escalated to level 2`);
    });
  }

  /** A state that no longer takes the event (the referral moved on) is an answer, not a failure to retry. */
  private async quietly(sending: Promise<boolean>): Promise<void> {
    try {
      await sending;
    } catch (e) {
      if (e instanceof DomainException && e.code === 'TRANSITION_NOT_ALLOWED') {
        this.logger.warn(e.message);
        return;
      }
      throw e;
    }
  }

  private async find(deadlineId: string): Promise<DeadlineRow | undefined> {
    const [d] = await this.db.query(`SELECT * FROM deadlines WHERE id = $1`, [deadlineId]);
    return d; // vanished: nothing to do
  }

  private async still(
    tx: EntityManager,
    deadlineId: string,
    version: number,
    test: (row: DeadlineRow) => boolean,
  ): Promise<boolean> {
    const [row]: DeadlineRow[] = await tx.query(`SELECT * FROM deadlines WHERE id = $1 FOR UPDATE`, [deadlineId]);
    return !!row && row.version === version && test(row);
  }
}
