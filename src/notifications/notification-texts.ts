// Inbox texts: one short title and body per notify template, naming the
// referral and, where it matters, what is due by when. Pure functions: the
// processor loads the facts (referral, deadlines) and the time zone.
import type { DeadlineKind } from '../../workflows/referral/referral.deadlines';
import type { NotificationTemplate } from '../../workflows/referral/referral.notifications';

export interface DeadlineFact {
  kind: string;
  dueAt: Date;
  legalBasis: string;
  responsibleAgencyId: string;
}

export interface TextFacts {
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

/** The deadline kinds whose due time a template's text states (loaded by the processor). */
export const TEMPLATE_DEADLINE_KINDS: Readonly<Record<string, readonly string[]>> = {
  'referral-submitted': ['acknowledge', 'review'],
  'supplement-requested': ['supplement'],
  'materials-supplemented': ['review'],
  'review-extended': ['review'],
  'referral-declined': ['reconsideration-window'],
  'reconsideration-requested': ['reconsideration-decision'],
  'reasons-required': ['police-reasons'],
  'filing-ordered': ['filing-order'],
  'referral-accepted': ['evidence-handover'],
  'rectification-started': ['rectification'],
} satisfies Partial<Record<NotificationTemplate, DeadlineKind[]>>;

/** Kinds of which every agency has its own (one rectification task each): only the recipient's is stated. */
const PER_AGENCY_KINDS = new Set(['rectification']);

const ref = (f: TextFacts) => `${f.referral.referenceNo} "${f.referral.title}"`;

function dueOf(f: TextFacts, kind: string): string | null {
  const d = f.deadlines.find(
    (x) => x.kind === kind && (!PER_AGENCY_KINDS.has(kind) || x.responsibleAgencyId === f.recipientAgencyId),
  );
  return d ? formatDue(d.dueAt, f.timeZone) : null;
}

/** " What by <due>." when the deadline is known, else nothing. */
function due(f: TextFacts, kind: string, what: string): string {
  const at = dueOf(f, kind);
  return at ? ` ${what} by ${at}.` : '';
}

function aboutDeadline(f: TextFacts, verb: 'is' | 'was' = 'is'): string {
  const d = f.deadline;
  if (!d) return '';
  return ` The ${d.kind} deadline ${verb} due ${formatDue(d.dueAt, f.timeZone)}. Legal basis: ${d.legalBasis}.`;
}

const kindOf = (f: TextFacts) => f.deadline?.kind ?? 'a';

type Render = (f: TextFacts) => NotificationText;

const TEMPLATES: Record<NotificationTemplate, Render> = {
  'referral-submitted': (f) => ({
    title: `New referral ${f.referral.referenceNo}`,
    body:
      `Referral ${ref(f)} was submitted to the police.` +
      due(f, 'acknowledge', 'Acknowledge') +
      due(f, 'review', 'Decide on filing'),
  }),
  'referral-acknowledged': (f) => ({
    title: `Referral ${f.referral.referenceNo} acknowledged`,
    body: `The police acknowledged receipt of referral ${ref(f)} and are reviewing it.`,
  }),
  'supplement-requested': (f) => ({
    title: `Materials requested for ${f.referral.referenceNo}`,
    body: `The police asked for more materials on referral ${ref(f)}.` + due(f, 'supplement', 'Supplement them'),
  }),
  'materials-supplemented': (f) => ({
    title: `Materials supplemented for ${f.referral.referenceNo}`,
    body:
      `The agency supplemented the materials of referral ${ref(f)}; the review resumes.` + due(f, 'review', 'Decide on filing'),
  }),
  'referral-forwarded': (f) => ({
    title: `Referral ${f.referral.referenceNo} forwarded`,
    body: `The police forwarded referral ${ref(f)} to another police unit.`,
  }),
  'review-extended': (f) => ({
    title: `Review of ${f.referral.referenceNo} extended`,
    body: `The police extended the review of referral ${ref(f)}.` + due(f, 'review', 'The filing decision is now due'),
  }),
  'referral-declined': (f) => ({
    title: `Referral ${f.referral.referenceNo} not filed`,
    body:
      `The police decided not to file referral ${ref(f)}.` +
      due(f, 'reconsideration-window', 'You may request reconsideration or supervision'),
  }),
  'reconsideration-requested': (f) => ({
    title: `Reconsideration requested for ${f.referral.referenceNo}`,
    body: `The agency asked you to reconsider not filing referral ${ref(f)}.` + due(f, 'reconsideration-decision', 'Decide'),
  }),
  'supervision-requested': (f) => ({
    title: `Supervision requested for ${f.referral.referenceNo}`,
    body: `The agency asked the procuratorate to supervise the decision not to file referral ${ref(f)}.`,
  }),
  'reasons-required': (f) => ({
    title: `Reasons required for ${f.referral.referenceNo}`,
    body: `The procuratorate requires your reasons for not filing referral ${ref(f)}.` + due(f, 'police-reasons', 'State them'),
  }),
  'reasons-submitted': (f) => ({
    title: `Reasons submitted for ${f.referral.referenceNo}`,
    body: `The police submitted their reasons for not filing referral ${ref(f)}.`,
  }),
  'filing-ordered': (f) => ({
    title: `Filing ordered for ${f.referral.referenceNo}`,
    body: `The procuratorate ordered the police to file referral ${ref(f)}.` + due(f, 'filing-order', 'The case is to be filed'),
  }),
  'referral-accepted': (f) => ({
    title: `Referral ${f.referral.referenceNo} filed`,
    body:
      `The police filed referral ${ref(f)} as a criminal case.` +
      due(f, 'evidence-handover', 'Hand over the seized items and materials'),
  }),
  'evidence-handed-over': (f) => ({
    title: `Evidence handed over for ${f.referral.referenceNo}`,
    body: `The agency handed over the items and materials of referral ${ref(f)}.`,
  }),
  'rectification-started': (f) => ({
    title: `Rectification task for ${f.referral.referenceNo}`,
    body:
      `Joint rectification started on referral ${ref(f)} and your agency has a task.` + due(f, 'rectification', 'Complete it'),
  }),
  'rectification-progress': (f) => ({
    title: `Rectification progress on ${f.referral.referenceNo}`,
    body: `A task agency reported rectification progress on referral ${ref(f)}.`,
  }),
  'rectification-task-completed': (f) => ({
    title: `Rectification task completed on ${f.referral.referenceNo}`,
    body: `A task agency completed its rectification task on referral ${ref(f)}.`,
  }),
  'referral-closed': (f) => ({
    title: `Referral ${f.referral.referenceNo} closed`,
    body: `Referral ${ref(f)} is closed.`,
  }),
  'referral-withdrawn': (f) => ({
    title: `Referral ${f.referral.referenceNo} withdrawn`,
    body: `The agency withdrew referral ${ref(f)}; its deadlines are cancelled.`,
  }),
  'listed-for-supervision': (f) => ({
    title: `Referral ${f.referral.referenceNo} listed for supervision`,
    body: `Referral ${ref(f)} was listed for supervision by the oversight authorities.`,
  }),
  'comment-added': (f) => ({
    title: `New comment on ${f.referral.referenceNo}`,
    body: `A comment was added to referral ${ref(f)}.`,
  }),
  'deadline-reminder': (f) => ({
    title: `Deadline approaching: ${kindOf(f)} on ${f.referral.referenceNo}`,
    body: `A deadline on referral ${ref(f)} is approaching.` + aboutDeadline(f),
  }),
  'deadline-breached': (f) => ({
    title: `Deadline breached: ${kindOf(f)} on ${f.referral.referenceNo}`,
    body: `A deadline on referral ${ref(f)} has passed without action.` + aboutDeadline(f, 'was'),
  }),
  'deadline-escalated': (f) => ({
    title: `Deadline escalated: ${kindOf(f)} on ${f.referral.referenceNo}`,
    body: `A breached deadline on referral ${ref(f)} is still unresolved and is escalated to you.` + aboutDeadline(f, 'was'),
  }),
};

/** The text of a notification; an unknown template still yields a readable one rather than a failing job. */
export function notificationText(template: string, facts: TextFacts): NotificationText {
  if (isReferralNotice(template)) return TEMPLATES[template](facts);
  return {
    title: `Update on ${facts.referral.referenceNo}`,
    body: `Referral ${ref(facts)}: ${template.replace(/-/g, ' ')}.` + aboutDeadline(facts),
  };
}

// Outbox rows may outlive a template (written by an older release), so names from rows are checked, not trusted.
function isReferralNotice(template: string): template is NotificationTemplate {
  return Object.hasOwn(TEMPLATES, template);
}

/**
 * Notices about the service, not about one referral: they go to the administration
 * agency and name no referral (its admins may be outside every referral's scope).
 */
export interface ServiceNoticeFacts {
  /** calendar-missing: the year not loaded, and how many open deadlines count days in it. */
  year: number;
  pendingDeadlines: number;
}

export const SERVICE_NOTICES = ['calendar-missing'] as const;
export type ServiceNotice = (typeof SERVICE_NOTICES)[number];

const SERVICE_TEMPLATES: Record<ServiceNotice, (f: ServiceNoticeFacts) => NotificationText> = {
  'calendar-missing': (f) => ({
    title: `Load the holiday calendar for ${f.year}`,
    body:
      `${f.pendingDeadlines} pending deadline${f.pendingDeadlines === 1 ? '' : 's'} count days in ${f.year}, whose official calendar is not loaded.` +
      ' They were counted on the provisional calendar (weekends and the statutory holidays of the National Holidays Measures) and are marked provisional.' +
      ` Load the year with PUT /api/v1/calendars/${f.year}; pending deadlines are then recomputed.`,
  }),
};

/** A template about the service, never about one referral (even if an old outbox row names one). */
export function isServiceNotice(template: string): template is ServiceNotice {
  return Object.hasOwn(SERVICE_TEMPLATES, template);
}

export function serviceNoticeText(template: string, facts: ServiceNoticeFacts): NotificationText {
  return isServiceNotice(template)
    ? SERVICE_TEMPLATES[template](facts)
    : { title: template.replace(/-/g, ' '), body: `Service notice: ${template.replace(/-/g, ' ')}.` };
}
