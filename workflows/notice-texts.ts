// Inbox texts, the pure part every workflow shares: the facts a text is made from,
// the due-time format, and small phrases. Each workflow's <name>.texts.ts gives one
// title and body per notice template; the notification processor loads the facts.
import type { SharedTemplate } from './procedure';

export interface DeadlineFact {
  kind: string;
  dueAt: Date;
  legalBasis: string;
  responsibleAgencyId: string;
}

export interface TextFacts {
  /** The instance the notice is about (a referral, a recommendation…): its number and title. */
  referral: { referenceNo: string; title: string };
  /** The agency that receives this notification. */
  recipientAgencyId: string;
  /** Deadlines of the kinds the template mentions (see TEMPLATE_DEADLINE_KINDS), newest first. */
  deadlines: DeadlineFact[];
  /** The deadline a deadline-* notification is about. */
  deadline?: DeadlineFact;
  timeZone: string;
}

export interface NotificationText {
  title: string;
  body: string;
}

/** '2026-12-04 00:00 (Asia/Shanghai)': a due time as the people who must meet it read it. */
export function formatDue(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}

export type Render = (f: TextFacts) => NotificationText;

/** A workflow's texts: one per template; `deadlineKinds` names the due times a template states. */
export interface NoticeTexts<T extends string = string> {
  texts: Readonly<Record<T, Render>>;
  deadlineKinds: Readonly<Partial<Record<T, readonly string[]>>>;
}

/** Kinds of which every agency has its own (one rectification task each): only the recipient's is stated. */
const PER_AGENCY_KINDS = new Set(['rectification']);

export const ref = (f: TextFacts) => `${f.referral.referenceNo} "${f.referral.title}"`;

function dueOf(f: TextFacts, kind: string): string | null {
  const d = f.deadlines.find(
    (x) => x.kind === kind && (!PER_AGENCY_KINDS.has(kind) || x.responsibleAgencyId === f.recipientAgencyId),
  );
  return d ? formatDue(d.dueAt, f.timeZone) : null;
}

/** " What by <due>." when the deadline is known, else nothing. */
export function due(f: TextFacts, kind: string, what: string): string {
  const at = dueOf(f, kind);
  return at ? ` ${what} by ${at}.` : '';
}

export function aboutDeadline(f: TextFacts, verb: 'is' | 'was' = 'is'): string {
  const d = f.deadline;
  if (!d) return '';
  return ` The ${d.kind} deadline ${verb} due ${formatDue(d.dueAt, f.timeZone)}. Legal basis: ${d.legalBasis}.`;
}

export const kindOf = (f: TextFacts) => f.deadline?.kind ?? 'a';

/** The four notices every workflow sends, about a deadline or a comment, naming the instance as `noun`. */
export function sharedTexts(noun: string): Record<SharedTemplate, Render> {
  return {
    'comment-added': (f) => ({
      title: `New comment on ${f.referral.referenceNo}`,
      body: `A comment was added to ${noun} ${ref(f)}.`,
    }),
    'deadline-reminder': (f) => ({
      title: `Deadline approaching: ${kindOf(f)} on ${f.referral.referenceNo}`,
      body: `A deadline on ${noun} ${ref(f)} is approaching.` + aboutDeadline(f),
    }),
    'deadline-breached': (f) => ({
      title: `Deadline breached: ${kindOf(f)} on ${f.referral.referenceNo}`,
      body: `A deadline on ${noun} ${ref(f)} has passed without action.` + aboutDeadline(f, 'was'),
    }),
    'linked-cases-found': (f) => ({
      title: `Linked cases: ${f.referral.referenceNo}`,
      body:
        `A case just recorded states a party that ${noun} ${ref(f)} also states, or one of the same name.` +
        ` See its links (GET /api/v1/referrals/:id/links) to coordinate.`,
    }),
    'case-group-changed': (f) => ({
      title: `Case group: ${f.referral.referenceNo}`,
      body:
        `A case group (并案) that ${noun} ${ref(f)} is or was in was formed or changed.` +
        ` The members stay separate procedures; see the group (GET /api/v1/case-groups) for its members and deadlines.`,
    }),
    'deadline-escalated': (f) => ({
      title: `Deadline escalated: ${kindOf(f)} on ${f.referral.referenceNo}`,
      body: `A breached deadline on ${noun} ${ref(f)} is still unresolved and is escalated to you.` + aboutDeadline(f, 'was'),
    }),
  };
}
