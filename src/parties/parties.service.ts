// Parties and the links between cases (issue 11 §1). Every referral submitted and
// every administrative case recorded states its parties here, in its own
// transaction; the cases that share one are then told apart as confirmed (the same
// checked identifier) or possible (the same organisation name where one has no
// identifier), and the police units holding the open ones and the overseers whose
// region covers two or more of them hear of it.
//
// What a caller is shown of a linked case follows the one access policy: a case in
// its scope in full (its summary), one outside it only as its existence, the agency
// holding it (name and region) and the shared party's masked identifier. Chains are
// never walked through a case the caller may not see (its other parties would show).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { regionCovers } from '../auth/regions';
import { identify, type PartyIdentity, type StatedParty } from '../../workflows/parties/party-identity';
import { adminCaseSummaries } from '../admin-cases/admin-cases.repository';
import type { Principal } from '../auth/principal';
import { EVERY_ADMIN_CASE, EVERY_REFERRAL, overseersCoveringMany, visibleAdminCases, visibleReferrals } from '../auth/scope';
import { maskIdNumber } from '../common/mask';
import { notFound } from '../common/problem';
import { Agency } from '../directory/agency.entity';
import { insertOutbox, OUTBOX_TOPICS } from '../outbox/outbox.repository';
import { readReferral, referralSummaries } from '../referrals/referrals.repository';
import {
  attachParties,
  casesSharing,
  detachParties,
  partiesOf,
  readParty,
  upsertParty,
  type CaseRef,
  type PartyRow,
  type SharedCase,
} from './parties.repository';
import type { CaseNode, ChainGraph, LinksView, PartyNode } from './parties.views';

const caseKey = (c: CaseRef) => `${c.type}:${c.id}`;
const orderKey = (p: PartyIdentity) => `${p.kind}|${p.identifier ?? ''}|${p.nameKey}`;

/** How many linked cases a new case's notices are about, at most. */
const TOLD_AT_MOST = 20;

@Injectable()
export class PartiesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * States the parties of a case just written, in its transaction, and tells the
   * holders and overseers of the cases it is now linked to. `replace`: an
   * administrative case re-imported with other parties.
   */
  async record(tx: EntityManager, c: CaseRef, stated: StatedParty[], at: Date, replace = false): Promise<void> {
    if (replace) await detachParties(tx, c);
    // In one order everywhere: two cases stating the same new parties at once then wait
    // for each other on the parties' unique indexes instead of deadlocking.
    const identities = stated.map((p) => ({ p, id: identify(p) })).sort((a, b) => orderKey(a.id).localeCompare(orderKey(b.id)));
    const ids: string[] = [];
    for (const { p, id } of identities) ids.push(await upsertParty(tx, randomUUID(), id, p.name, at));
    await attachParties(tx, c, [...new Set(ids)], at);
    // The most recently linked ones are told; the rest are in the links answer.
    const shared = await casesSharing(tx, ids, c, TOLD_AT_MOST);
    if (shared.length > 0) await this.tell(tx, c, shared);
  }

  /**
   * One notice per referral named, each to agencies that may read it: the police
   * unit holding an open linked referral hears of that one; an overseer whose region
   * covers two or more of the linked cases hears of one of them in its region (the
   * new one first). A notice never names a case its recipient may not read.
   */
  private async tell(tx: EntityManager, c: CaseRef, shared: SharedCase[]): Promise<void> {
    const all = [c, ...shared.map((s) => s.case)];
    const idsOf = (type: CaseRef['type']) => [...new Set(all.filter((x) => x.type === type).map((x) => x.id))];
    const referrals = await referralSummaries(tx, EVERY_REFERRAL, idsOf('referral'));
    const cases = await adminCaseSummaries(tx, EVERY_ADMIN_CASE, idsOf('admin-case'));
    referrals.sort((x, y) => (x.id === c.id ? -1 : y.id === c.id ? 1 : 0));
    const told = new Map<string, Set<string>>(); // referral named → recipients
    const tell = (referralId: string, agencyId: string) =>
      told.set(referralId, (told.get(referralId) ?? new Set()).add(agencyId));
    for (const r of referrals.filter((x) => x.open)) tell(r.id, r.targetAgencyId);
    const regions = [...referrals.map((r) => r.regionCode), ...cases.map((x) => x.regionCode)];
    for (const overseer of await overseersCoveringMany(tx, regions, 2)) {
      const named = referrals.find((r) => regionCovers(overseer.regionCode, r.regionCode));
      if (named) tell(named.id, overseer.id);
    }
    await insertOutbox(
      tx,
      [...told].map(([referralId, recipients]) => ({
        topic: OUTBOX_TOPICS.notification,
        dedupeKey: `links:${caseKey(c)}:${referralId}`,
        payload: { referralId, template: 'linked-cases-found', recipientAgencyIds: [...recipients].sort() },
      })),
    );
  }

  /** GET /referrals/:id/links: the referral's parties and every case linked to it through them. */
  async links(principal: Principal, referralId: string): Promise<LinksView> {
    const referral = await readReferral(this.db, visibleReferrals(principal), referralId, 'referral');
    const self: CaseRef = { type: 'referral', id: referral.id };
    const parties = await partiesOf(this.db, self);
    const shared = await casesSharing(
      this.db,
      parties.map((p) => p.id),
      self,
    );
    const nodes = await this.caseNodes(
      principal,
      shared.map((s) => s.case),
    );
    const others = new Map((await this.partiesById(shared.map((s) => s.otherPartyId))).map((p) => [p.id, p]));
    return {
      referral: { id: referral.id, referenceNo: referral.referenceNo },
      parties: parties.map(partyNode),
      links: shared.map((s) => ({
        match: s.match,
        partyId: s.partyId,
        case: withSharedParty(nodes.get(caseKey(s.case))!, others.get(s.otherPartyId)),
      })),
    };
  }

  /**
   * GET /parties/:id/chain: the cases and parties reached from a party in `depth`
   * party → case steps. A case outside the caller's scope is a leaf: shown as its
   * existence, its holding agency and the shared party's masked identifier, and
   * never walked through. A party no case in the caller's scope states is a 404.
   */
  async chain(principal: Principal, partyId: string, depth: number): Promise<ChainGraph> {
    const start = await readParty(this.db, partyId);
    if (!start) throw notFound('Party');
    const parties = new Map<string, PartyNode>([[start.id, partyNode(start)]]);
    const cases = new Map<string, CaseNode>();
    const edges = new Map<string, ChainGraph['edges'][number]>();
    const edge = (source: string, target: string, match: SharedCase['match']) =>
      edges.set(`${source}|${target}`, { source, target, match });
    let frontier = [start.id];
    for (let step = 0; step < depth && frontier.length > 0; step++) {
      const shared = await casesSharing(this.db, frontier);
      const nodes = await this.caseNodes(
        principal,
        shared.map((s) => s.case).filter((c) => !cases.has(caseKey(c))),
      );
      for (const [key, node] of nodes) cases.set(key, node);
      const others = new Map((await this.partiesById(shared.map((s) => s.otherPartyId))).map((p) => [p.id, p]));
      const next = new Set<string>();
      for (const s of shared) {
        const node = cases.get(caseKey(s.case))!;
        if (!node.inScope) {
          cases.set(caseKey(s.case), withSharedParty(node, others.get(s.otherPartyId)));
          edge(`party:${s.partyId}`, node.key, s.match);
          continue;
        }
        // In scope: the party the case states (another of the same name, for a possible match) and onward.
        const other = others.get(s.otherPartyId)!;
        parties.set(other.id, partyNode(other));
        if (other.id !== s.partyId) edge(`party:${s.partyId}`, `party:${other.id}`, 'possible');
        edge(`party:${other.id}`, node.key, s.match);
        if (nodes.has(caseKey(s.case))) {
          for (const p of await partiesOf(this.db, s.case)) {
            if (!parties.has(p.id)) next.add(p.id);
            parties.set(p.id, partyNode(p));
            edge(`party:${p.id}`, node.key, p.identifier ? 'confirmed' : 'possible');
          }
        }
      }
      frontier = [...next];
    }
    if (![...cases.values()].some((n) => n.inScope)) throw notFound('Party');
    return {
      party: partyNode(start),
      parties: [...parties.values()],
      cases: [...cases.values()],
      edges: [...edges.values()],
    };
  }

  private async partiesById(ids: string[]): Promise<PartyRow[]> {
    const out: PartyRow[] = [];
    for (const id of new Set(ids)) {
      const p = await readParty(this.db, id);
      if (p) out.push(p);
    }
    return out;
  }

  /** Each case as this caller may see it: in scope, its summary; outside, the restricted node. */
  private async caseNodes(principal: Principal, refs: CaseRef[]): Promise<Map<string, CaseNode>> {
    const referralIds = [...new Set(refs.filter((r) => r.type === 'referral').map((r) => r.id))];
    const adminCaseIds = [...new Set(refs.filter((r) => r.type === 'admin-case').map((r) => r.id))];
    const referrals = await referralSummaries(this.db, visibleReferrals(principal), referralIds);
    const cases = await adminCaseSummaries(this.db, visibleAdminCases(principal), adminCaseIds);
    const agencyIds = [
      ...new Set([...referrals.flatMap((r) => [r.sourceAgencyId, r.targetAgencyId]), ...cases.map((c) => c.agencyId)]),
    ];
    const agencies = new Map((await this.db.getRepository(Agency).findBy({ id: In(agencyIds) })).map((a) => [a.id, a]));
    const brief = (id: string) => ({ id, name: agencies.get(id)!.name, regionCode: agencies.get(id)!.regionCode });
    const holder = (id: string) => ({ name: agencies.get(id)!.name, regionCode: agencies.get(id)!.regionCode });
    const nodes = new Map<string, CaseNode>();
    let hidden = 0;
    for (const r of referrals) {
      const key = caseKey({ type: 'referral', id: r.id });
      nodes.set(
        key,
        r.visible
          ? {
              key,
              type: 'referral',
              inScope: true,
              id: r.id,
              referenceNo: r.referenceNo,
              title: r.title,
              state: r.state,
              regionCode: r.regionCode,
              sourceAgency: brief(r.sourceAgencyId),
              targetAgency: brief(r.targetAgencyId),
            }
          : { key: `hidden-${++hidden}`, type: 'referral', inScope: false, holdingAgency: holder(r.targetAgencyId) },
      );
    }
    for (const c of cases) {
      const key = caseKey({ type: 'admin-case', id: c.id });
      nodes.set(
        key,
        c.visible
          ? {
              key,
              type: 'admin-case',
              inScope: true,
              id: c.id,
              caseNo: c.caseNo,
              title: c.title,
              regionCode: c.regionCode,
              agency: brief(c.agencyId),
            }
          : { key: `hidden-${++hidden}`, type: 'admin-case', inScope: false, holdingAgency: holder(c.agencyId) },
      );
    }
    return nodes;
  }
}

/** A party as answers show it: its identifier always masked (the full one is on the cases the policy lets one read). */
export function partyNode(p: PartyRow): PartyNode {
  return {
    key: `party:${p.id}`,
    id: p.id,
    kind: p.kind,
    name: p.name,
    identified: p.identifier !== null,
    identifier: p.identifier ? maskIdNumber(p.identifier) : null,
  };
}

/** An out-of-scope case carries the shared party's masked identifier, and nothing else of its own. */
function withSharedParty(node: CaseNode, other: PartyRow | undefined): CaseNode {
  if (node.inScope) return node;
  return { ...node, sharedIdentifier: other?.identifier ? maskIdNumber(other.identifier) : null };
}
