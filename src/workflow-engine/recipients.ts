// Resolves the parties a notify intent names to agency ids, at the moment of the transition.
import type { EntityManager } from 'typeorm';
import type { Party, ReferralContext } from '../../workflows/referral/referral.types';

export interface RecipientContext {
  regionCode: string;
  context: ReferralContext;
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
      return r.context.tasks.map((t) => t.agencyId);
    case 'responsible':
      return r.responsibleAgencyId ? [r.responsibleAgencyId] : [];
    case 'procuratorate': {
      // The procuratorate at the referral's own level; failing that, the nearest one above it.
      const rows: { id: string }[] = await tx.query(
        `SELECT id FROM agencies
          WHERE kind = 'procuratorate' AND $1 LIKE region_prefix(region_code) || '%'
            AND length(region_prefix(region_code)) = (
              SELECT max(length(region_prefix(region_code))) FROM agencies
               WHERE kind = 'procuratorate' AND $1 LIKE region_prefix(region_code) || '%')`,
        [r.regionCode],
      );
      return rows.map((x) => x.id);
    }
    case 'oversight': {
      const rows: { id: string }[] = await tx.query(
        `SELECT id FROM agencies WHERE kind IN ('procuratorate', 'supervisor') AND $1 LIKE region_prefix(region_code) || '%'`,
        [r.regionCode],
      );
      return rows.map((x) => x.id);
    }
  }
}
