// Maps the intents a transition returned to rows, inside the transition's
// transaction: deadlines, rectification tasks and outbox messages. Nothing here
// leaves the process; the outbox relay does that after commit.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEADLINE_RULES, reviewPeriod, type DeadlineKind } from '../../workflows/referral/referral.deadlines';
import type { Intent, ReferralContext, RectificationTask } from '../../workflows/referral/referral.types';
import type { HolidayCalendar } from '../../workflows/calendars/holiday-calendar';
import { remainingMs, resumedDueAt } from '../../workflows/period-counting';
import { CalendarsService } from '../deadlines/calendars.service';
import { DeadlinePlanner, type PlannedDeadline } from '../deadlines/deadline-planner';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { resolveRecipients } from './recipients';

export interface TransitionScope {
  tx: EntityManager;
  referralId: string;
  regionCode: string;
  context: ReferralContext; // after the transition
  /** The deadline a DEADLINE_* event is about: its responsible agency is the "responsible" party. */
  deadlineId?: string;
  seq: number; // timeline seq of this event
  now: Date;
}

const LIVE = `('pending', 'paused')`;

@Injectable()
export class EffectsWriter {
  constructor(
    private readonly planner: DeadlinePlanner,
    private readonly calendars: CalendarsService,
    private readonly outbox: OutboxWriter,
  ) {}

  async apply(intents: Intent[], t: TransitionScope): Promise<void> {
    let calendar: HolidayCalendar | undefined;
    const calendarOnce = async () => (calendar ??= await this.calendars.calendar(t.tx));
    for (const intent of intents) {
      switch (intent.type) {
        case 'scheduleDeadline': {
          const period = this.planner.periodOf(intent.kind, t.context.reviewTier)!;
          await this.insertDeadline(t, intent.kind, null, this.planner.plan(period, t.now, await calendarOnce()));
          break;
        }
        case 'extendReview':
          await this.extendReview(t, await calendarOnce(), reviewPeriod(intent.tier));
          break;
        case 'meetDeadlines':
          await this.resolveDeadlines(t, intent.kinds, 'met', intent.taskId);
          break;
        case 'cancelDeadlines':
          await this.resolveDeadlines(t, intent.kinds, 'cancelled');
          break;
        case 'cancelAllDeadlines':
          await this.resolveDeadlines(t, null, 'cancelled');
          break;
        case 'pauseDeadline':
          await this.pause(t, intent.kind);
          break;
        case 'resumeDeadline':
          await this.resume(t, intent.kind);
          break;
        case 'breachDeadline':
          await this.changeDeadlines(
            t,
            `status = 'breached', breached_at = $3, escalation_level = greatest(escalation_level, 1)`,
            `id = $2 AND status = 'pending'`,
            [intent.deadlineId],
          );
          break;
        case 'remindDeadline':
          await t.tx.query(`UPDATE deadlines SET reminded_at = $3, updated_at = $3 WHERE referral_id = $1 AND id = $2`, [
            t.referralId,
            intent.deadlineId,
            t.now,
          ]);
          break;
        case 'openTasks':
          await this.openTasks(t, intent.tasks);
          break;
        case 'closeTask':
          await t.tx.query(
            `UPDATE rectification_tasks SET status = 'done', completed_at = $3 WHERE referral_id = $1 AND id = $2`,
            [t.referralId, intent.taskId, t.now],
          );
          break;
        case 'notify':
          await this.notify(t, intent.parties, intent.template);
          break;
      }
    }
    await this.outbox.write(t.tx, OUTBOX_TOPICS.timeline, `timeline:${t.referralId}:${t.seq}`, {
      referralId: t.referralId,
      seq: t.seq,
    });
  }

  private responsibleAgency(kind: DeadlineKind, t: TransitionScope, taskAgencyId?: string): string {
    switch (DEADLINE_RULES[kind].responsible) {
      case 'target':
        return t.context.targetAgencyId;
      case 'source':
        return t.context.sourceAgencyId;
      case 'task-agency':
        return taskAgencyId!;
    }
  }

  private async insertDeadline(
    t: TransitionScope,
    kind: DeadlineKind,
    task: RectificationTask | null,
    planned: PlannedDeadline,
  ): Promise<void> {
    // A kind is live at most once per referral (and task): a newer one supersedes the old.
    await this.resolveDeadlines(t, [kind], 'cancelled', task?.id);
    const [{ id }] = await t.tx.query(
      `INSERT INTO deadlines (referral_id, kind, task_id, responsible_agency_id, legal_basis, period_unit, period_length,
                              starts_at, due_at, remind_at, calendar_incomplete, provisional, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', $8, $8) RETURNING id`,
      [
        t.referralId,
        kind,
        task?.id ?? null,
        this.responsibleAgency(kind, t, task?.agencyId),
        DEADLINE_RULES[kind].legalBasis,
        planned.period?.unit ?? null,
        planned.period?.length ?? null,
        t.now,
        planned.dueAt,
        planned.remindAt,
        planned.calendarIncomplete,
        planned.provisional,
      ],
    );
    await this.outbox.deadlineChanged(t.tx, id, 1);
    // No reminder to load the year here: a row shared by unrelated referrals (one per year)
    // in every event's transaction made them queue on it. The sweeper reminds, once a year.
  }

  /** Moves a deadline to a new state; every change bumps its version so a stale job finds nothing to do. */
  private async changeDeadlines(t: TransitionScope, set: string, where: string, params: unknown[]): Promise<void> {
    // TypeORM answers UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [rows]: [{ id: string; version: number }[], number] = await t.tx.query(
      `UPDATE deadlines SET ${set}, version = version + 1, updated_at = $3
        WHERE referral_id = $1 AND ${where} RETURNING id, version`,
      [t.referralId, params[0] ?? null, t.now, ...params.slice(1)],
    );
    for (const row of rows) await this.outbox.deadlineChanged(t.tx, row.id, row.version);
  }

  private async resolveDeadlines(
    t: TransitionScope,
    kinds: DeadlineKind[] | null,
    to: 'met' | 'cancelled',
    taskId?: string,
  ): Promise<void> {
    // A breached deadline stays breached when the act finally comes; it is only marked resolved.
    await this.changeDeadlines(
      t,
      `status = CASE WHEN status IN ${LIVE} THEN '${to}' ELSE status END, resolved_at = $3`,
      `($2::text[] IS NULL OR kind = ANY($2::text[])) AND ($4::uuid IS NULL OR task_id = $4::uuid)
        AND (status IN ${LIVE} OR (status = 'breached' AND resolved_at IS NULL))`,
      [kinds, taskId ?? null],
    );
  }

  private async pause(t: TransitionScope, kind: DeadlineKind): Promise<void> {
    await this.changeDeadlines(t, `status = 'paused', paused_at = $3`, `kind = $2 AND status = 'pending'`, [kind]);
  }

  private async resume(t: TransitionScope, kind: DeadlineKind): Promise<void> {
    const rows: { id: string; due_at: Date; remind_at: Date | null; paused_at: Date }[] = await t.tx.query(
      `SELECT id, due_at, remind_at, paused_at FROM deadlines WHERE referral_id = $1 AND kind = $2 AND status = 'paused' FOR UPDATE`,
      [t.referralId, kind],
    );
    for (const d of rows) {
      // The remaining time is kept: the clock restarts where it stopped.
      const dueAt = resumedDueAt(t.now, remainingMs(d.due_at, d.paused_at));
      await this.changeDeadlines(
        t,
        `status = 'pending', paused_at = NULL, paused_ms = paused_ms + $5, due_at = $4, remind_at = remind_at + ($5 * interval '1 millisecond')`,
        `id = $2`,
        [d.id, dueAt, t.now.getTime() - d.paused_at.getTime()],
      );
    }
  }

  private async extendReview(t: TransitionScope, calendar: HolidayCalendar, period: PlannedDeadline['period']): Promise<void> {
    const rows: { id: string; starts_at: Date; paused_ms: string; status: string }[] = await t.tx.query(
      `SELECT id, starts_at, paused_ms, status FROM deadlines
        WHERE referral_id = $1 AND kind = 'review' AND (status IN ${LIVE} OR (status = 'breached' AND resolved_at IS NULL))
        FOR UPDATE`,
      [t.referralId],
    );
    for (const d of rows) {
      const planned = this.planner.plan(period!, d.starts_at, calendar);
      const dueAt = new Date(planned.dueAt.getTime() + Number(d.paused_ms));
      // An extension granted after the breach reopens the clock if the new due time is still ahead.
      const reopen = d.status === 'breached' && dueAt > t.now;
      const remindAt = new Date(planned.remindAt.getTime() + Number(d.paused_ms));
      // A due time moved later deserves a fresh reminder before it.
      await this.changeDeadlines(
        t,
        `reminded_at = CASE WHEN $4 > due_at THEN NULL ELSE reminded_at END,
         due_at = $4, remind_at = $5, period_unit = $6, period_length = $7, calendar_incomplete = $8,
         status = CASE WHEN $9::boolean THEN 'pending' ELSE status END,
         breached_at = CASE WHEN $9::boolean THEN NULL ELSE breached_at END, provisional = $10`,
        `id = $2`,
        [d.id, dueAt, remindAt, period!.unit, period!.length, planned.calendarIncomplete, reopen, planned.provisional],
      );
    }
  }

  private async openTasks(t: TransitionScope, tasks: RectificationTask[]): Promise<void> {
    for (const task of tasks) {
      await t.tx.query(
        `INSERT INTO rectification_tasks (id, referral_id, agency_id, description, due_at, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6)`,
        [task.id, t.referralId, task.agencyId, task.description, task.dueAt, t.now],
      );
      await this.insertDeadline(t, 'rectification', task, this.planner.planFixed(t.now, new Date(task.dueAt)));
    }
  }

  private async notify(t: TransitionScope, parties: Parameters<typeof resolveRecipients>[1], template: string) {
    const { deadlineId } = t;
    const responsible = deadlineId
      ? ((await t.tx.query(`SELECT responsible_agency_id AS id FROM deadlines WHERE id = $1`, [deadlineId]))[0]?.id as
          string | undefined)
      : undefined;
    const recipients = await resolveRecipients(t.tx, parties, {
      regionCode: t.regionCode,
      context: t.context,
      responsibleAgencyId: responsible,
    });
    if (recipients.length === 0) return;
    await this.outbox.write(t.tx, OUTBOX_TOPICS.notification, `notify:${t.referralId}:${t.seq}:${template}`, {
      referralId: t.referralId,
      seq: t.seq,
      template,
      recipientAgencyIds: recipients,
      ...(deadlineId ? { deadlineId } : {}),
    });
  }
}
