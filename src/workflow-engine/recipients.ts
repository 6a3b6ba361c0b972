// Resolves the parties a notify intent names to agency ids, at the moment of the transition.
import type { EntityManager } from 'typeorm';
import type { Party, ProcedureContext } from '../../workflows/procedure';
import { nearestProcuratorates, overseersOf } from '../auth/scope';

export interface RecipientContext {
  regionCode: string;
  context: ProcedureContext;
  /** The agency responsible for the deadline a system event is about. */
  responsibleAgencyId?: string;
}

export async function resolveRecipients(tx: EntityManager, parties: Party[], r: RecipientContext): Promise<string[]> {
  const ids = new Set<string>();
  for (const party of parties) {
    for (const id of await resolveParty(tx, party, r)) ids.add(id);
  }
  return [...ids].sort();
}

async function resolveParty(tx: EntityManager, party: Party, r: RecipientContext): Promise<string[]> {
  switch (party) {
    case 'source':
      return [r.context.sourceAgencyId];
    case 'target':
      return [r.context.targetAgencyId];
    case 'task-agencies':
      return (r.context.tasks ?? []).map((t) => t.agencyId);
    case 'listing-bodies':
      return r.context.listing?.bodies ?? [];
    case 'responsible':
      return r.responsibleAgencyId ? [r.responsibleAgencyId] : [];
    case 'procuratorate':
      return nearestProcuratorates(tx, r.regionCode);
    case 'oversight':
      return overseersOf(tx, r.regionCode);
  }
}
