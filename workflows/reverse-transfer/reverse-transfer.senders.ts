// Who may send each client event of the reverse transfer. The statechart's guards
// and the engine's 403 check both read this one table.
import { ROLES, type SenderRule } from '../procedure';
import type { ClientEvent } from './reverse-transfer.types';

export { actorMatches, type SenderRule } from '../procedure';

const OFFICER = ['agency-officer'] as const;
// The sending side is a police unit (its head) or a procuratorate.
const SENDING_SIDE = ['police-lead', 'procurator'] as const;

export const EVENT_SENDERS: Record<ClientEvent['type'], SenderRule> = {
  RECEIVE: { roles: OFFICER, relation: 'target' },
  DECIDE: { roles: OFFICER, relation: 'target' },
  REPLY: { roles: OFFICER, relation: 'target' },
  // A rule names one relation; the chart adds "source or oversight" (the procuratorate that
  // sent the case, or one supervising the police unit that did) with the chaserRelated guard.
  CHASE: { roles: ['procurator'] },
  WITHDRAW: { roles: SENDING_SIDE, relation: 'source' },
  COMMENT: { roles: ROLES },
};

/** The relations a CHASE may come from. */
export const CHASER_RELATIONS = ['source', 'oversight'] as const;
