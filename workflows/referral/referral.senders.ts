// Who may send each client event (API.md's "who" column). The statechart's
// guards and the engine's 403 check both read this one table.
import { ROLES, type SenderRule } from '../procedure';
import type { ClientEvent } from './referral.types';

export { actorMatches, type SenderRule } from '../procedure';

const POLICE = ['police-officer', 'police-lead'] as const;
const LEAD = ['police-lead'] as const;
const OFFICER = ['agency-officer'] as const;
const TASK_WORKERS = ['agency-officer', 'police-officer', 'police-lead', 'procurator'] as const;

export const EVENT_SENDERS: Record<ClientEvent['type'], SenderRule> = {
  ACKNOWLEDGE: { roles: POLICE, relation: 'target' },
  REQUEST_SUPPLEMENT: { roles: POLICE, relation: 'target' },
  SUPPLEMENT: { roles: OFFICER, relation: 'source' },
  FORWARD: { roles: POLICE, relation: 'target' },
  EXTEND_REVIEW: { roles: LEAD, relation: 'target' },
  RECORD_REVIEW: { roles: POLICE, relation: 'target' },
  RETURN_TO_REVIEW: { roles: LEAD, relation: 'target' },
  ACCEPT: { roles: LEAD, relation: 'target' },
  DECLINE: { roles: LEAD, relation: 'target' },
  REQUEST_RECONSIDERATION: { roles: OFFICER, relation: 'source' },
  UPHOLD_DECLINE: { roles: LEAD, relation: 'target' },
  REQUEST_SUPERVISION: { roles: OFFICER, relation: 'source' },
  ACCEPT_DECISION: { roles: OFFICER, relation: 'source' },
  REQUIRE_REASONS: { roles: ['procurator'], relation: 'oversight' },
  SUBMIT_REASONS: { roles: LEAD, relation: 'target' },
  ORDER_FILING: { roles: ['procurator'], relation: 'oversight' },
  UPHOLD_NON_FILING: { roles: ['procurator'], relation: 'oversight' },
  HANDOVER_EVIDENCE: { roles: OFFICER, relation: 'source' },
  START_JOINT_RECTIFICATION: { roles: LEAD, relation: 'target' },
  REPORT_PROGRESS: { roles: TASK_WORKERS, relation: 'task' },
  COMPLETE_TASK: { roles: TASK_WORKERS, relation: 'task' },
  COMPLETE_RECTIFICATION: { roles: LEAD, relation: 'target' },
  CLOSE: { roles: LEAD, relation: 'target' },
  WITHDRAW: { roles: OFFICER, relation: 'source' },
  LIST_FOR_SUPERVISION: { roles: ['procurator', 'supervisor'], relation: 'oversight' },
  REPORT_SUPERVISION_PROGRESS: { roles: POLICE, relation: 'target' },
  // and only a listing body (the machine's guard: its agency is in context.listing.bodies)
  DELIST: { roles: ['procurator', 'supervisor'], relation: 'oversight' },
  // a police lead of a unit whose region strictly contains the target unit's: the higher organ that may designate or
  // take over jurisdiction (MPS Procedures for Criminal Cases, ch. 2 "jurisdiction"; article numbers not checked here)
  ELEVATE: { roles: LEAD, relation: 'superior' },
  DESIGNATE: { roles: LEAD, relation: 'superior' },
  COMMENT: { roles: ROLES },
};
