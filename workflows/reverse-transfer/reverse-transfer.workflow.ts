// The reverse transfer as the engine registers it.
import type { WorkflowDefinition } from '../procedure';
import { DEADLINE_RULES, type DeadlineKind } from './reverse-transfer.deadlines';
import { MACHINE_VERSION, reverseTransferMachine } from './reverse-transfer.machine';
import { NOTIFICATION_TEMPLATES } from './reverse-transfer.notifications';
import { REVERSE_TRANSFER_TEXTS } from './reverse-transfer.texts';
import { EVENT_SENDERS } from './reverse-transfer.senders';
import { CLIENT_EVENT_TYPES, FINAL_STATES, reverseTransferInput } from './reverse-transfer.types';

export const reverseTransferWorkflow: WorkflowDefinition = {
  name: 'reverse-transfer',
  version: MACHINE_VERSION,
  title:
    'A case sent back from the police or the procuratorate to an administrative agency for an administrative penalty (行刑反向衔接)',
  referencePrefix: 'FX',
  startEvent: 'TRANSFER',
  machine: reverseTransferMachine,
  clientEventTypes: CLIENT_EVENT_TYPES,
  senders: EVENT_SENDERS,
  deadlines: DEADLINE_RULES,
  periodOf: (kind) => DEADLINE_RULES[kind as DeadlineKind]?.period ?? null,
  templates: NOTIFICATION_TEMPLATES,
  notices: REVERSE_TRANSFER_TEXTS,
  finalStates: FINAL_STATES,
  // The start facts carry the basis (facts.basis); a missing or inconsistent one fails the start.
  input: (parties, facts) => reverseTransferInput(parties, facts),
};
