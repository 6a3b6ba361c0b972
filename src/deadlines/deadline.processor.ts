// Deadline jobs: lock the referral, then the deadline; ignore stale versions and
// resolved deadlines; and step DEADLINE_REMINDER / DEADLINE_EXPIRED through the
// same engine path as a user, as the system actor, so the timeline records them.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationTemplate } from '../../workflows/referral/referral.notifications';
import { Clock } from '../common/clock';
import { DomainException } from '../common/problem';
import { MetricsService } from '../ops/metrics.service';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { findDeadline, referralOfDeadline, type DeadlineRow } from './deadlines.repository';
import { SYSTEM, WorkflowEngine, type LockedReferral } from '../workflow-engine/workflow-engine.service';
import type { JobData } from '../queues/queues';
import { parentRegion } from '../auth/regions';

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

  async remind(job: JobData['deadline.remind']): Promise<void> {
    // A reminder that comes only after the due time (a service down for days) is moot: the expiry speaks for it.
    const d = await this.fire(
      'DEADLINE_REMINDER',
      job,
      (row) => row.status === 'pending' && !row.remindedAt && row.dueAt > this.clock.now(),
    );
    if (d) this.metrics.deadlineFired('reminder', d.kind, d.remindAt, true);
  }

  async expire(job: JobData['deadline.expire']): Promise<void> {
    const d = await this.fire('DEADLINE_EXPIRED', job, (row) => row.status === 'pending');
    if (d) this.metrics.deadlineFired('expiry', d.kind, d.dueAt, true);
  }

  /** Level 2: the breach is still unresolved after the grace period; the supervisors one level up hear of it. */
  async escalate(job: JobData['deadline.escalate']): Promise<void> {
    await this.db.transaction(async (tx) => {
      const locked = await this.lockFor(tx, job);
      const d = locked && (await this.lockDeadline(tx, job));
      if (!locked || !d || !(d.status === 'breached' && !d.resolvedAt && d.escalationLevel < 2)) return;
      await tx.query(`UPDATE deadlines SET escalation_level = 2, updated_at = $2 WHERE id = $1`, [d.id, this.clock.now()]);
      const supervisors: { id: string }[] = await tx.query(
        `SELECT id FROM agencies WHERE kind = 'supervisor' AND region_code = $1`,
        [parentRegion(locked.row.regionCode)],
      );
      if (supervisors.length === 0) return;
      await this.outbox.write(tx, OUTBOX_TOPICS.notification, `escalate:${d.id}:v${job.version}`, {
        referralId: d.referralId,
        template: 'deadline-escalated' satisfies NotificationTemplate,
        recipientAgencyIds: supervisors.map((s) => s.id),
        deadlineId: d.id,
      });
      this.logger.log(`deadline ${d.id} (${d.kind}) escalated to level 2`);
    });
  }

  /**
   * One DEADLINE_* event in one transaction: the referral's lock first (the order every
   * writer takes), then the deadline's; a job whose version or state is stale does nothing.
   * Returns the deadline when the event was applied.
   */
  private async fire(
    type: 'DEADLINE_REMINDER' | 'DEADLINE_EXPIRED',
    job: JobData['deadline.expire'],
    due: (row: DeadlineRow) => boolean,
  ): Promise<DeadlineRow | null> {
    try {
      return await this.db.transaction(async (tx) => {
        const locked = await this.lockFor(tx, job);
        const d = locked && (await this.lockDeadline(tx, job));
        if (!locked || !d || !due(d)) {
          this.engine.skipped(type);
          return null;
        }
        await this.engine.step(
          tx,
          locked,
          SYSTEM,
          { type, deadlineId: d.id, kind: d.kind as never },
          { deadline: { id: d.id, responsibleAgencyId: d.responsibleAgencyId } },
        );
        return d;
      });
    } catch (e) {
      // A state that no longer takes the event (the referral moved on) is an answer, not a failure to retry.
      if (e instanceof DomainException && e.code === 'TRANSITION_NOT_ALLOWED') {
        this.logger.warn(e.message);
        return null;
      }
      throw e;
    }
  }

  /** The job's referral, locked; jobs armed before they carried referralId find it through the deadline. */
  private async lockFor(tx: EntityManager, job: JobData['deadline.expire']): Promise<LockedReferral | null> {
    let referralId = job.referralId;
    if (!referralId) {
      const found = await referralOfDeadline(tx, job.deadlineId);
      if (!found) return null; // vanished: nothing to do
      referralId = found;
    }
    return this.engine.lock(tx, referralId, SYSTEM).catch((e) => {
      if (e instanceof DomainException && e.code === 'NOT_FOUND') return null;
      throw e;
    });
  }

  /** The deadline under its lock, if it is still at the job's version. */
  private async lockDeadline(tx: EntityManager, job: JobData['deadline.expire']): Promise<DeadlineRow | null> {
    const row = await findDeadline(tx, job.deadlineId, { lock: true });
    return row && row.version === job.version ? row : null;
  }
}
