// Maps the intents a transition returned to rows, inside the transition's
// transaction: deadlines, rectification tasks and outbox messages. Nothing here
// leaves the process; the outbox relay does that after commit. Outbox rows are
// gathered and written in one statement at the end of the step.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Intent, ProcedureContext, RectificationTask, WorkflowDefinition } from '../../workflows/procedure';
import type { HolidayCalendar } from '../../workflows/calendars/holiday-calendar';
import { planFixed, planPeriod, type PlannedDeadline, type PlanningRules } from '../../workflows/deadline-planning';
import { remainingMs, resumedDueAt } from '../../workflows/period-counting';
import { AppConfig, planningRules } from '../config/app-config';
import { loadCalendar } from '../deadlines/calendars.repository';
import { lockOpenReview, lockPaused } from '../deadlines/deadlines.repository';
import { insertOutbox, OUTBOX_TOPICS, type NewOutboxRow } from '../outbox/outbox.repository';
import { deadlineChangedRow } from '../outbox/outbox.writer';
import { timingOf } from '../queues/deadline-jobs';
import { resolveRecipients } from './recipients';

type DeadlineKind = string;

export interface TransitionScope {
  tx: EntityManager;
  /** The procedure the instance runs: its deadline kinds and periods. */
  definition: WorkflowDefinition;
  referralId: string;
  regionCode: string;
  context: ProcedureContext; // after the transition
  /** The deadline a DEADLINE_* event is about: its responsible agency is the "responsible" party. */
  deadline?: { id: string; responsibleAgencyId: string };
  seq: number; // timeline seq of this event
  now: Date;
}

const LIVE = `('pending', 'paused')`;

/** One step's writes: the outbox rows wait here until the step flushes them in one statement. */
class StepWrites {
  readonly outbox: NewOutboxRow[] = [];
  private calendar?: Promise<HolidayCalendar>;

  constructor(readonly t: TransitionScope) {}

  calendarOnce(): Promise<HolidayCalendar> {
    return (this.calendar ??= loadCalendar(this.t.tx));
  }
}

@Injectable()
export class EffectsWriter {
  constructor(private readonly config: AppConfig) {}

  private rules(): PlanningRules {
    return planningRules(this.config);
  }

  async apply(intents: Intent[], t: TransitionScope): Promise<void> {
    const w = new StepWrites(t);
    for (const intent of intents) {
      switch (intent.type) {
        case 'scheduleDeadline': {
          const period = t.definition.periodOf(intent.kind, t.context);
          if (!period) throw new Error(`${t.definition.name}: deadline ${intent.kind} has no period of its own`);
          await this.insertDeadline(w, intent.kind, null, planPeriod(period, t.now, await w.calendarOnce(), this.rules()));
          break;
        }
        case 'extendReview':
          // The context after the transition holds the new tier, and periodOf reads it.
          await this.extendReview(w, t.definition.periodOf('review', t.context));
          break;
        case 'meetDeadlines':
          await this.resolveDeadlines(w, intent.kinds, 'met', intent.taskId);
          break;
        case 'cancelDeadlines':
          await this.resolveDeadlines(w, intent.kinds, 'cancelled');
          break;
        case 'cancelAllDeadlines':
          await this.resolveDeadlines(w, null, 'cancelled');
          break;
        case 'pauseDeadline':
          await this.changeDeadlines(w, `status = 'paused', paused_at = $3`, `kind = $2 AND status = 'pending'`, [intent.kind]);
          break;
        case 'resumeDeadline':
          await this.resume(w, intent.kind);
          break;
        case 'breachDeadline':
          await this.changeDeadlines(
            w,
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
          await this.openTasks(w, intent.tasks);
          break;
        case 'closeTask':
          await t.tx.query(
            `UPDATE rectification_tasks SET status = 'done', completed_at = $3 WHERE referral_id = $1 AND id = $2`,
            [t.referralId, intent.taskId, t.now],
          );
          break;
        case 'retargetDeadlines':
          await this.retargetDeadlines(w);
          break;
        case 'notify':
          await this.notify(w, intent.parties, intent.template, intent.agencyIds);
          break;
      }
    }
    w.outbox.push(timelineRow(t.referralId, t.seq));
    await insertOutbox(t.tx, w.outbox);
  }

  private responsibleAgency(kind: DeadlineKind, t: TransitionScope, taskAgencyId?: string): string {
    switch (t.definition.deadlines[kind].responsible) {
      case 'target':
        return t.context.targetAgencyId;
      case 'source':
        return t.context.sourceAgencyId;
      case 'task-agency':
        return taskAgencyId!;
    }
  }

  private async insertDeadline(
    w: StepWrites,
    kind: DeadlineKind,
    task: RectificationTask | null,
    planned: PlannedDeadline,
  ): Promise<void> {
    const { t } = w;
    // A kind is live at most once per referral (and task): a newer one supersedes the old.
    await this.resolveDeadlines(w, [kind], 'cancelled', task?.id);
    const [row] = await t.tx.query(
      `INSERT INTO deadlines (referral_id, kind, task_id, responsible_agency_id, legal_basis, period_unit, period_length,
                              starts_at, due_at, remind_at, calendar_incomplete, provisional, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', $8, $8) RETURNING *`,
      [
        t.referralId,
        kind,
        task?.id ?? null,
        this.responsibleAgency(kind, t, task?.agencyId),
        t.definition.deadlines[kind].legalBasis,
        planned.period?.unit ?? null,
        planned.period?.length ?? null,
        t.now,
        planned.dueAt,
        planned.remindAt,
        planned.calendarIncomplete,
        planned.provisional,
      ],
    );
    w.outbox.push(deadlineChangedRow(timingOf(row)));
    // No reminder to load the year here: a row shared by unrelated referrals (one per year)
    // in every event's transaction made them queue on it. The sweeper reminds, once a year.
  }

  /** Moves deadlines to a new state; every change bumps the version so a stale job finds nothing to do. */
  private async changeDeadlines(w: StepWrites, set: string, where: string, params: unknown[]): Promise<void> {
    const { t } = w;
    // TypeORM answers UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [rows] = await t.tx.query(
      `UPDATE deadlines SET ${set}, version = version + 1, updated_at = $3
        WHERE referral_id = $1 AND ${where} RETURNING *`,
      [t.referralId, params[0] ?? null, t.now, ...params.slice(1)],
    );
    for (const row of rows) w.outbox.push(deadlineChangedRow(timingOf(row)));
  }

  /**
   * Elevation and designation move the case, not its clocks: the running deadlines the
   * target answers for pass to the new target with their due times. A breach already
   * recorded stays the former unit's.
   */
  private retargetDeadlines(w: StepWrites) {
    const kinds = Object.values(w.t.definition.deadlines)
      .filter((rule) => rule.responsible === 'target')
      .map((rule) => rule.kind);
    return this.changeDeadlines(w, `responsible_agency_id = $4::uuid`, `kind = ANY($2::text[]) AND status IN ${LIVE}`, [
      kinds,
      w.t.context.targetAgencyId,
    ]);
  }

  private resolveDeadlines(w: StepWrites, kinds: DeadlineKind[] | null, to: 'met' | 'cancelled', taskId?: string) {
    // A breached deadline stays breached when the act finally comes; it is only marked resolved.
    return this.changeDeadlines(
      w,
      `status = CASE WHEN status IN ${LIVE} THEN '${to}' ELSE status END, resolved_at = $3`,
      `($2::text[] IS NULL OR kind = ANY($2::text[])) AND ($4::uuid IS NULL OR task_id = $4::uuid)
        AND (status IN ${LIVE} OR (status = 'breached' AND resolved_at IS NULL))`,
      [kinds, taskId ?? null],
    );
  }

  private async resume(w: StepWrites, kind: DeadlineKind): Promise<void> {
    const { t } = w;
    const rows = await lockPaused(t.tx, t.referralId, kind);
    for (const d of rows) {
      // The remaining time is kept: the clock restarts where it stopped.
      const dueAt = resumedDueAt(t.now, remainingMs(d.due_at, d.paused_at));
      await this.changeDeadlines(
        w,
        `status = 'pending', paused_at = NULL, paused_ms = paused_ms + $5, due_at = $4, remind_at = remind_at + ($5 * interval '1 millisecond')`,
        `id = $2`,
        [d.id, dueAt, t.now.getTime() - d.paused_at.getTime()],
      );
    }
  }

  private async extendReview(w: StepWrites, period: PlannedDeadline['period']): Promise<void> {
    const { t } = w;
    const rows = await lockOpenReview(t.tx, t.referralId);
    for (const d of rows) {
      const planned = planPeriod(period!, d.starts_at, await w.calendarOnce(), this.rules());
      const dueAt = new Date(planned.dueAt.getTime() + Number(d.paused_ms));
      // An extension granted after the breach reopens the clock if the new due time is still ahead.
      const reopen = d.status === 'breached' && dueAt > t.now;
      const remindAt = new Date(planned.remindAt.getTime() + Number(d.paused_ms));
      // A due time moved later deserves a fresh reminder before it.
      await this.changeDeadlines(
        w,
        `reminded_at = CASE WHEN $4 > due_at THEN NULL ELSE reminded_at END,
         due_at = $4, remind_at = $5, period_unit = $6, period_length = $7, calendar_incomplete = $8,
         status = CASE WHEN $9::boolean THEN 'pending' ELSE status END,
         breached_at = CASE WHEN $9::boolean THEN NULL ELSE breached_at END, provisional = $10`,
        `id = $2`,
        [d.id, dueAt, remindAt, period!.unit, period!.length, planned.calendarIncomplete, reopen, planned.provisional],
      );
    }
  }

  private async openTasks(w: StepWrites, tasks: RectificationTask[]): Promise<void> {
    const { t } = w;
    for (const task of tasks) {
      await t.tx.query(
        `INSERT INTO rectification_tasks (id, referral_id, agency_id, description, due_at, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6)`,
        [task.id, t.referralId, task.agencyId, task.description, task.dueAt, t.now],
      );
      await this.insertDeadline(w, 'rectification', task, planFixed(t.now, new Date(task.dueAt), this.rules()));
    }
  }

  private async notify(
    w: StepWrites,
    parties: Parameters<typeof resolveRecipients>[1],
    template: string,
    agencyIds: string[] = [],
  ) {
    const { t } = w;
    const resolved = await resolveRecipients(t.tx, parties, {
      regionCode: t.regionCode,
      context: t.context,
      responsibleAgencyId: t.deadline?.responsibleAgencyId,
    });
    const recipients = [...new Set([...resolved, ...agencyIds])].sort();
    if (recipients.length === 0) return;
    w.outbox.push({
      topic: OUTBOX_TOPICS.notification,
      dedupeKey: `notify:${t.referralId}:${t.seq}:${template}`,
      payload: {
        referralId: t.referralId,
        seq: t.seq,
        template,
        recipientAgencyIds: recipients,
        ...(t.deadline ? { deadlineId: t.deadline.id } : {}),
      },
    });
  }
}

/** The timeline row's webhook fan-out. */
export function timelineRow(referralId: string, seq: number): NewOutboxRow {
  return { topic: OUTBOX_TOPICS.timeline, dedupeKey: `timeline:${referralId}:${seq}`, payload: { referralId, seq } };
}
