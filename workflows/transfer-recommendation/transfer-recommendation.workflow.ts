// The transfer recommendation as the engine registers it.
import type { WorkflowDefinition } from '../procedure';
import { DEADLINE_RULES, type DeadlineKind } from './transfer-recommendation.deadlines';
import { MACHINE_VERSION, transferRecommendationMachine } from './transfer-recommendation.machine';
import { NOTIFICATION_TEMPLATES } from './transfer-recommendation.notifications';
import { TRANSFER_RECOMMENDATION_TEXTS } from './transfer-recommendation.texts';
import { EVENT_SENDERS } from './transfer-recommendation.senders';
import { CLIENT_EVENT_TYPES, FINAL_STATES, type TransferRecommendationInput } from './transfer-recommendation.types';

export const transferRecommendationWorkflow: WorkflowDefinition = {
  name: 'transfer-recommendation',
  version: MACHINE_VERSION,
  title: "A procuratorate's recommendation that an administrative agency transfer a case to the police (检察意见·建议移送)",
  referencePrefix: 'JY',
  startEvent: 'ISSUE',
  machine: transferRecommendationMachine,
  clientEventTypes: CLIENT_EVENT_TYPES,
  senders: EVENT_SENDERS,
  deadlines: DEADLINE_RULES,
  periodOf: (kind) => DEADLINE_RULES[kind as DeadlineKind]?.period ?? null,
  templates: NOTIFICATION_TEMPLATES,
  notices: TRANSFER_RECOMMENDATION_TEXTS,
  finalStates: FINAL_STATES,
  input: ({ sourceAgencyId, targetAgencyId }): TransferRecommendationInput => ({ sourceAgencyId, targetAgencyId }),
};
