// The referral's inbox texts: one title and body per notice template, naming the
// referral and, where it matters, what is due by when (workflows/notice-texts.ts).
import { due, ref, sharedTexts, type NoticeTexts, type Render } from '../notice-texts';
import type { DeadlineKind } from './referral.deadlines';
import type { NotificationTemplate } from './referral.notifications';

const TEXTS: Record<NotificationTemplate, Render> = {
  ...sharedTexts('referral'),
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
  'referral-elevated': (f) => ({
    title: `Referral ${f.referral.referenceNo} elevated`,
    body: `A superior police unit took over referral ${ref(f)} (elevated jurisdiction); its time limits run on.`,
  }),
  'referral-designated': (f) => ({
    title: `Referral ${f.referral.referenceNo} designated`,
    body: `A superior police unit designated another police unit to handle referral ${ref(f)}; its time limits run on.`,
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
    body:
      `Referral ${ref(f)} was listed for supervision by the oversight authorities.` +
      due(f, 'supervision-report', 'Report your progress to the listing bodies'),
  }),
  'supervision-listing-joined': (f) => ({
    title: `Another body joined the listing of ${f.referral.referenceNo}`,
    body:
      `A further oversight body joined the supervision listing of referral ${ref(f)}.` +
      due(f, 'supervision-report', 'The next progress report is due'),
  }),
  'supervision-progress-reported': (f) => ({
    title: `Progress reported on listed referral ${f.referral.referenceNo}`,
    body:
      `The police unit reported its progress on listed referral ${ref(f)}.` +
      due(f, 'supervision-report', 'The next report is due'),
  }),
  'delisted-from-supervision': (f) => ({
    title: `Referral ${f.referral.referenceNo} delisted`,
    body: `A listing body ended the supervision listing of referral ${ref(f)}; no further progress reports are due.`,
  }),
};

/** The deadline kinds whose due time a template's text states (loaded by the processor). */
const DEADLINE_KINDS_STATED = {
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
  'listed-for-supervision': ['supervision-report'],
  'supervision-listing-joined': ['supervision-report'],
  'supervision-progress-reported': ['supervision-report'],
} satisfies Partial<Record<NotificationTemplate, DeadlineKind[]>>;

export const REFERRAL_TEXTS: NoticeTexts<NotificationTemplate> = { texts: TEXTS, deadlineKinds: DEADLINE_KINDS_STATED };
