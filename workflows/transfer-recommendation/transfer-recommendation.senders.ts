// Who may send each client event of the transfer recommendation. The statechart's
// guards and the engine's 403 check both read this one table.
import { ROLES, type SenderRule } from '../procedure';
import type { ClientEvent } from './transfer-recommendation.types';

export { actorMatches, type SenderRule } from '../procedure';

const PROCURATOR = ['procurator'] as const;
const OFFICER = ['agency-officer'] as const;

export const EVENT_SENDERS: Record<ClientEvent['type'], SenderRule> = {
  TRANSFER: { roles: OFFICER, relation: 'target' },
  EXPLAIN: { roles: OFFICER, relation: 'target' },
  ACCEPT_EXPLANATION: { roles: PROCURATOR, relation: 'source' },
  INSIST: { roles: PROCURATOR, relation: 'source' },
  WITHDRAW: { roles: PROCURATOR, relation: 'source' },
  COMMENT: { roles: ROLES },
};
