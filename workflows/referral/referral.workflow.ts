// The referral procedure as the engine registers it.
import type { ProcedureContext, WorkflowDefinition } from '../procedure';
import { DEADLINE_RULES, reviewPeriod, supervisionReportPeriod, type DeadlineKind, type ReviewTier } from './referral.deadlines';
import { REFERRAL_MACHINE_VERSION, referralMachine } from './referral.machine';
import { NOTIFICATION_TEMPLATES } from './referral.notifications';
import { EVENT_SENDERS } from './referral.senders';
import { REFERRAL_TEXTS } from './referral.texts';
import { CLIENT_EVENT_TYPES, FINAL_STATES, type ReferralContext } from './referral.types';

export const referralWorkflow: WorkflowDefinition = {
  name: 'referral',
  version: REFERRAL_MACHINE_VERSION,
  title: 'Transfer of a suspected criminal case from an administrative agency to the police (移送涉嫌犯罪案件)',
  startEvent: 'SUBMIT',
  machine: referralMachine,
  clientEventTypes: CLIENT_EVENT_TYPES,
  senders: EVENT_SENDERS,
  deadlines: DEADLINE_RULES,
  // The review runs for the tier the police unit extended it to; progress reports at the listing's interval.
  periodOf: (kind, context: ProcedureContext) => {
    if (kind === 'review') return reviewPeriod((context as ProcedureContext & { reviewTier: ReviewTier }).reviewTier);
    if (kind === 'supervision-report') return supervisionReportPeriod((context as ReferralContext).listing?.reportEveryDays);
    return DEADLINE_RULES[kind as DeadlineKind]?.period ?? null;
  },
  templates: NOTIFICATION_TEMPLATES,
  notices: REFERRAL_TEXTS,
  finalStates: FINAL_STATES,
  input: ({ sourceAgencyId, targetAgencyId }) => ({ sourceAgencyId, targetAgencyId }),
};
