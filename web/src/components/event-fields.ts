// The payload fields of each client event (API.md's event tables), as data:
// EventForms renders them, and the i18n check finds their labels. One table per
// workflow; the referral's is EVENT_FIELDS.
import type { Dayjs } from 'dayjs';
import { PENALTY_DECISIONS, PENALTY_KINDS } from '../api/types';
import { endOfPickedDay } from '../lib/time';
/** `requiredIf`: required only when another field of the form has that value (else optional, dropped when empty). */
type Condition = { requiredIf?: [string, string]; optional?: boolean };
export type Field =
  | ({ name: string; kind: 'text' | 'textarea'; label: string; min?: number } & Condition)
  | ({ name: string; kind: 'kinds'; label: string; options: readonly string[]; prefix: string } & Condition)
  | ({ name: string; kind: 'money'; label: string } & Condition)
  | { name: string; kind: 'lines'; label: string }
  | { name: string; kind: 'choice'; label: string; options: string[]; prefix: string }
  | { name: string; kind: 'police' | 'task'; label: string }
  | { name: string; kind: 'date'; label: string }
  | { name: string; kind: 'inventory' | 'tasks'; label: string }
  | ({ name: string; kind: 'int'; label: string; min: number; max: number } & Condition)
  // shown, never sent: the listing bodies the sender's agency joins (the service adds it)
  | { name: string; kind: 'bodies'; label: string };

const text = (name: string, label: string, min?: number): Field => ({ name, kind: 'textarea', label, min });

export const EVENT_FIELDS: Record<string, Field[]> = {
  ACKNOWLEDGE: [],
  REQUEST_SUPPLEMENT: [{ name: 'items', kind: 'lines', label: 'form.items' }, text('reason', 'form.reason')],
  SUPPLEMENT: [text('note', 'form.note')],
  FORWARD: [{ name: 'toAgencyId', kind: 'police', label: 'form.toAgency' }, text('reason', 'form.reason')],
  // a superior police unit: ELEVATE takes the case to its own unit, DESIGNATE to one inside its region
  ELEVATE: [text('reason', 'form.reason')],
  DESIGNATE: [{ name: 'toAgencyId', kind: 'police', label: 'form.toAgency' }, text('reason', 'form.reason')],
  EXTEND_REVIEW: [
    { name: 'tier', kind: 'choice', label: 'form.tier', options: ['verification', 'complex', 'special'], prefix: 'tier' },
    text('reason', 'form.reason'),
  ],
  RECORD_REVIEW: [
    {
      name: 'recommendation',
      kind: 'choice',
      label: 'form.recommendation',
      options: ['file', 'not-file'],
      prefix: 'recommendation',
    },
    text('opinion', 'form.opinion'),
  ],
  RETURN_TO_REVIEW: [text('reason', 'form.reason')],
  ACCEPT: [{ name: 'caseNumber', kind: 'text', label: 'form.caseNumber' }],
  DECLINE: [text('reasons', 'form.reasons', 10), { name: 'legalBasis', kind: 'text', label: 'form.legalBasis' }],
  REQUEST_RECONSIDERATION: [text('grounds', 'form.grounds')],
  UPHOLD_DECLINE: [text('reasons', 'form.reasons')],
  REQUEST_SUPERVISION: [text('grounds', 'form.grounds')],
  ACCEPT_DECISION: [],
  REQUIRE_REASONS: [text('note', 'form.note')],
  SUBMIT_REASONS: [text('statement', 'form.statement')],
  ORDER_FILING: [text('note', 'form.note')],
  UPHOLD_NON_FILING: [text('note', 'form.note')],
  HANDOVER_EVIDENCE: [{ name: 'inventory', kind: 'inventory', label: 'form.inventory' }],
  START_JOINT_RECTIFICATION: [
    { name: 'dueAt', kind: 'date', label: 'form.dueAt' },
    { name: 'tasks', kind: 'tasks', label: 'form.tasks' },
  ],
  REPORT_PROGRESS: [{ name: 'taskId', kind: 'task', label: 'form.taskId' }, text('note', 'form.note')],
  COMPLETE_TASK: [{ name: 'taskId', kind: 'task', label: 'form.taskId' }, text('note', 'form.note')],
  COMPLETE_RECTIFICATION: [text('summary', 'form.summary')],
  CLOSE: [
    {
      name: 'outcome',
      kind: 'choice',
      label: 'form.outcome',
      options: ['prosecuted', 'investigation-terminated', 'reverse-transferred'],
      prefix: 'outcome',
    },
    text('note', 'form.note'),
  ],
  WITHDRAW: [text('reason', 'form.reason')],
  LIST_FOR_SUPERVISION: [
    { name: 'level', kind: 'choice', label: 'form.level', options: ['city', 'province', 'national'], prefix: 'level' },
    { name: 'bodies', kind: 'bodies', label: 'listing.bodies' },
    { name: 'reportEveryDays', kind: 'int', label: 'form.reportEveryDays', min: 1, max: 90, optional: true },
    text('note', 'form.note'),
  ],
  REPORT_SUPERVISION_PROGRESS: [text('note', 'form.note')],
  DELIST: [text('reason', 'form.reason')],
  COMMENT: [text('text', 'form.text')],
};

const optional = (name: string, kind: 'text' | 'textarea', label: string, requiredIf?: [string, string]): Field => ({
  name,
  kind,
  label,
  ...(requiredIf ? { requiredIf } : { optional: true }),
});

/** Recommendation to transfer (检察意见 建议移送): docs/api.md "Recommendations to transfer". */
export const RECOMMENDATION_FIELDS: Record<string, Field[]> = {
  TRANSFER: [
    { name: 'targetAgencyId', kind: 'police', label: 'form.policeUnit' },
    optional('offence', 'text', 'form.offence'),
    optional('legalBasis', 'text', 'form.legalBasis'),
  ],
  EXPLAIN: [text('explanation', 'form.explanation', 10)],
  ACCEPT_EXPLANATION: [text('note', 'form.note')],
  INSIST: [text('reasons', 'form.insistReasons')],
  WITHDRAW: [text('reason', 'form.reason')],
  COMMENT: [text('text', 'form.text')],
};

/** Reverse transfer (行刑反向衔接): docs/api.md "Reverse transfers". */
export const REVERSE_FIELDS: Record<string, Field[]> = {
  RECEIVE: [],
  DECIDE: [
    { name: 'decision', kind: 'choice', label: 'form.decision', options: [...PENALTY_DECISIONS], prefix: 'decision' },
    text('reasons', 'form.decisionReasons'),
    optional('decisionNo', 'text', 'form.decisionNo', ['decision', 'penalty-imposed']),
    {
      name: 'penaltyKinds',
      kind: 'kinds',
      label: 'form.penaltyKinds',
      options: PENALTY_KINDS,
      prefix: 'penaltyKind',
      requiredIf: ['decision', 'penalty-imposed'],
    },
    { name: 'fineAmount', kind: 'money', label: 'form.fineAmount', optional: true },
  ],
  REPLY: [text('note', 'form.replyNote')],
  CHASE: [text('note', 'form.note')],
  WITHDRAW: [text('reason', 'form.reason')],
  COMMENT: [text('text', 'form.text')],
};

/** The form table of each workflow, by its name in GET /api/v1/workflows. */
export const WORKFLOW_FIELDS: Record<string, Record<string, Field[]>> = {
  referral: EVENT_FIELDS,
  'transfer-recommendation': RECOMMENDATION_FIELDS,
  'reverse-transfer': REVERSE_FIELDS,
};

const empty = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);

/** Form values → the event's payload (dates at 24:00 in APP_TIMEZONE, lines split, empty parts dropped). */
export function payloadOf(
  type: string,
  values: Record<string, any>,
  table: Record<string, Field[]> = EVENT_FIELDS,
): Record<string, unknown> {
  const out: Record<string, unknown> = { type };
  for (const f of table[type] ?? []) {
    const v = values[f.name];
    if (f.kind === 'bodies') continue;
    if ('optional' in f || 'requiredIf' in f) {
      if (empty(v)) continue;
    }
    if (f.kind === 'lines')
      out[f.name] = String(v ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    else if (f.kind === 'date') out[f.name] = endOfPickedDay(v as Dayjs);
    else if (f.kind === 'inventory')
      out[f.name] = (v ?? []).map((i: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(i).filter(([, x]) => x !== undefined && x !== null && x !== '')),
      );
    else if (f.kind === 'tasks')
      out[f.name] = (v ?? []).map((task: { agencyId: string; description: string; dueAt?: Dayjs }) => ({
        agencyId: task.agencyId,
        description: task.description,
        ...(task.dueAt ? { dueAt: endOfPickedDay(task.dueAt) } : {}),
      }));
    else if (typeof v === 'string') out[f.name] = v.trim();
    else if (v !== undefined) out[f.name] = v;
  }
  return out;
}
