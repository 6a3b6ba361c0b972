// What every instance view shows beside its own row, for a page of rows at once: the
// two agencies, the deadlines (all but cancelled ones) and the links. One query per
// table, one after the other (inside a transaction they share one connection).
import { EntityManager, In } from 'typeorm';
import type { Principal } from '../auth/principal';
import { shownDeadlinesOf } from '../deadlines/deadlines.repository';
import { Agency } from '../directory/agency.entity';
import { agencyView, type AgencyView } from '../directory/directory.views';
import { deadlineView, type DeadlineView } from '../deadlines/deadline.views';
import type { ReferralRow } from '../referrals/referrals.repository';
import { linksOf, type InstanceLinkView } from './instance-links';

export interface InstanceBasics {
  agency(id: string): AgencyView;
  deadlines(instanceId: string): DeadlineView[];
  links(instanceId: string): InstanceLinkView[];
}

export async function instanceBasics(tx: EntityManager, principal: Principal, rows: ReferralRow[]): Promise<InstanceBasics> {
  const agencyIds = [...new Set(rows.flatMap((r) => [r.sourceAgencyId, r.targetAgencyId, ...r.formerTargetIds]))];
  const agencies = await tx.getRepository(Agency).findBy({ id: In(agencyIds) });
  const deadlines = await shownDeadlinesOf(
    tx,
    rows.map((r) => r.id),
  );
  const links = await linksOf(tx, principal, rows);
  const agencyById = new Map(agencies.map((a) => [a.id, agencyView(a)]));
  return {
    agency: (id) => agencyById.get(id)!,
    deadlines: (id) => deadlines.filter((d) => d.referralId === id).map(deadlineView),
    links: (id) => links.get(id) ?? [],
  };
}
