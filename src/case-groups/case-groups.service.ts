// Case groups (并案, issue 11 §2): a police lead groups referrals that share parties
// under a lead unit, so that their states and deadlines are read together. The
// members stay separate procedures: a group never steps a machine, moves a deadline
// or bumps a referral's version. Each change is a timeline fact on the members it
// touches (CASE_GROUP_JOINED / _LEFT / _DISSOLVED, recorded like ATTACHMENT_ADDED),
// a stamp on the group's own rows (who, when, why), and a notice to the police units
// holding the members.
//
// Refusals, in order: 404 a group the caller may not see; 403 a caller who is not a
// police lead (for changes: of the lead unit or the unit that formed it); 412 a stale
// If-Match; 404 a referral named that the caller may not read; 400 a body that does not
// hold against the database (another workflow, no shared party, a lead unit that holds
// no member); 409 a dissolved group, a referral already in an open group, a removal
// that would leave one member. Nothing is written on any of them.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Principal } from '../auth/principal';
import { EVERY_CASE_GROUP, EVERY_REFERRAL, formsCaseGroups, visibleCaseGroups, visibleReferrals } from '../auth/scope';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from '../common/idempotency';
import { DomainException, forbidden, notFound, validationFailed } from '../common/problem';
import type { Queryable } from '../common/sql-params';
import { deadlineView } from '../deadlines/deadline.views';
import { shownDeadlinesOf } from '../deadlines/deadlines.repository';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { insertOutbox, OUTBOX_TOPICS } from '../outbox/outbox.repository';
import { partiesByIds, sharedPartiesAmong, type SharedPartyPair } from '../parties/parties.repository';
import { partyNode } from '../parties/parties.service';
import { referralSummaries } from '../referrals/referrals.repository';
import { SYSTEM, WorkflowEngine, type LockedReferral } from '../workflow-engine/workflow-engine.service';
import {
  AddCaseGroupMemberDto,
  type CaseGroupFact,
  CaseGroupActor,
  CaseGroupHistoryEntry,
  CaseGroupMember,
  CaseGroupPage,
  CaseGroupSharedParty,
  CaseGroupView,
  CreateCaseGroupDto,
  ListCaseGroupsQuery,
  MAX_MEMBERS,
  ReferralCaseGroup,
} from './case-group.dto';
import {
  endMemberships,
  insertCaseGroup,
  insertMembers,
  listCaseGroups,
  membershipsOf,
  openGroupsOf,
  readCaseGroup,
  touchCaseGroup,
  type CaseGroupMemberRow,
  type CaseGroupRow,
} from './case-groups.repository';

const OPEN_DEADLINE = new Set(['pending', 'paused', 'breached']);
const isShown = (m: CaseGroupMemberRow) => m.removedAt === null || m.removal === 'dissolved';

/** A dissolved group takes no change. */
function mustBeOpen(group: CaseGroupRow): void {
  if (group.dissolvedAt) {
    throw new DomainException('TRANSITION_NOT_ALLOWED', 'The case group is dissolved', { allowedEvents: [] });
  }
}

interface Change {
  userId: string;
  agencyId: string;
  at: Date;
  reason: string;
}

@Injectable()
export class CaseGroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
  ) {}

  /** Forms a group. With an Idempotency-Key, a repeat returns the first answer; another body is refused. */
  async create(principal: Principal, dto: CreateCaseGroupDto, idempotencyKey?: string): Promise<CaseGroupView> {
    if (!formsCaseGroups(principal)) throw forbidden('Only a police lead forms case groups');
    const hash = requestHash('case-group', dto);
    return this.db.transaction(async (tx) => {
      if (idempotencyKey) {
        const replay = await claimIdempotencyKey(tx, principal.userId, idempotencyKey, hash);
        if (replay) return this.render(tx, principal, await this.group(tx, principal, replay.caseGroupId as string));
      }
      const locked = await this.lockReadable(tx, principal, dto.referralIds, 'referralIds');
      if (!locked.some((l) => l.row.targetAgencyId === dto.leadAgencyId)) {
        throw validationFailed([
          { field: 'leadAgencyId', message: 'the lead unit must be the police unit holding one of the referrals' },
        ]);
      }
      await this.mustShareParties(tx, dto.referralIds, dto.referralIds, 'referralIds');
      await this.mustBeUngrouped(tx, dto.referralIds);
      const change = this.change(principal, dto.reason);
      const id = randomUUID();
      await insertCaseGroup(tx, {
        id,
        name: dto.name,
        leadAgencyId: dto.leadAgencyId,
        reason: dto.reason,
        createdBy: principal.userId,
        createdAgencyId: principal.agency.id,
        createdAt: change.at,
      });
      await insertMembers(
        tx,
        id,
        dto.referralIds.map((referralId) => ({ id: randomUUID(), referralId })),
        change,
      );
      const group = (await this.group(tx, principal, id, true))!;
      await this.record(tx, principal, locked, 'CASE_GROUP_JOINED', group, dto.reason);
      await this.tell(tx, group, dto.referralIds, 1);
      if (idempotencyKey) await recordIdempotentResponse(tx, principal.userId, idempotencyKey, 201, { caseGroupId: id });
      return this.render(tx, principal, group);
    });
  }

  async get(principal: Principal, id: string): Promise<CaseGroupView> {
    return this.render(this.db.manager, principal, await this.group(this.db.manager, principal, id));
  }

  async list(principal: Principal, query: ListCaseGroupsQuery): Promise<CaseGroupPage> {
    const limit = query.limit ?? 20;
    const rows = await listCaseGroups(
      this.db,
      visibleCaseGroups(principal),
      { open: query.open, before: decodeCursor(query.cursor) ?? undefined },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const members = await membershipsOf(
      this.db,
      page.map((g) => g.id),
    );
    const agencies = await this.agencies(
      this.db.manager,
      page.map((g) => g.leadAgencyId),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((g) => ({
        id: g.id,
        name: g.name,
        leadAgency: agencies.brief(g.leadAgencyId),
        open: g.dissolvedAt === null,
        memberCount: members.filter((m) => m.groupId === g.id && isShown(m)).length,
        version: g.version,
        createdAt: g.createdAt.toISOString(),
        dissolvedAt: g.dissolvedAt?.toISOString() ?? null,
      })),
      nextCursor: rows.length > limit ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  async addMember(principal: Principal, id: string, dto: AddCaseGroupMemberDto, ifMatch?: number): Promise<CaseGroupView> {
    return this.db.transaction(async (tx) => {
      const group = await this.changeable(tx, principal, id, ifMatch);
      const [locked] = await this.lockReadable(tx, principal, [dto.referralId], 'referralId');
      const memberships = await membershipsOf(tx, [group.id]);
      // Judged against the members it has (a dissolved group: those it ended with), so that a body is judged before the state.
      const shown = memberships.filter(isShown).map((m) => m.referralId);
      await this.mustShareParties(tx, [dto.referralId], [...shown, dto.referralId], 'referralId');
      mustBeOpen(group);
      const current = memberships.filter((m) => m.removedAt === null).map((m) => m.referralId);
      if (current.length >= MAX_MEMBERS) {
        throw new DomainException('TRANSITION_NOT_ALLOWED', `A case group holds at most ${MAX_MEMBERS} referrals`, {
          allowedEvents: [],
        });
      }
      await this.mustBeUngrouped(tx, [dto.referralId]);
      const change = this.change(principal, dto.reason);
      await insertMembers(tx, group.id, [{ id: randomUUID(), referralId: dto.referralId }], change);
      await touchCaseGroup(tx, group.id, change.at);
      await this.record(tx, principal, [locked], 'CASE_GROUP_JOINED', group, dto.reason);
      await this.tell(tx, group, [...current, dto.referralId], group.version + 1);
      return this.render(tx, principal, (await this.reread(tx, group.id))!);
    });
  }

  async removeMember(
    principal: Principal,
    id: string,
    referralId: string,
    reason: string,
    ifMatch?: number,
  ): Promise<CaseGroupView> {
    return this.db.transaction(async (tx) => {
      const group = await this.changeable(tx, principal, id, ifMatch);
      // A member the caller may not read is not named to it: 404, as for any referral it may not read.
      const locked = await this.engine.lock(tx, referralId, principal);
      mustBeOpen(group);
      const current = (await membershipsOf(tx, [group.id])).filter((m) => m.removedAt === null).map((m) => m.referralId);
      if (!current.includes(referralId)) throw notFound('Member');
      if (current.length <= 2) {
        throw new DomainException(
          'TRANSITION_NOT_ALLOWED',
          'A case group keeps at least two referrals: dissolve it instead of removing this one',
          { allowedEvents: [] },
        );
      }
      const change = this.change(principal, reason);
      await endMemberships(tx, group.id, [referralId], 'removed', change);
      await touchCaseGroup(tx, group.id, change.at);
      await this.record(tx, principal, [locked], 'CASE_GROUP_LEFT', group, reason);
      await this.tell(tx, group, current, group.version + 1);
      return this.render(tx, principal, (await this.reread(tx, group.id))!);
    });
  }

  async dissolve(principal: Principal, id: string, reason: string, ifMatch?: number): Promise<CaseGroupView> {
    return this.db.transaction(async (tx) => {
      const group = await this.changeable(tx, principal, id, ifMatch);
      mustBeOpen(group);
      const current = (await membershipsOf(tx, [group.id])).filter((m) => m.removedAt === null).map((m) => m.referralId);
      // Every member's timeline hears of it, those outside the caller's scope too (the system lock).
      const locked: LockedReferral[] = [];
      for (const referralId of [...current].sort()) locked.push(await this.engine.lock(tx, referralId, SYSTEM));
      const change = this.change(principal, reason);
      await endMemberships(tx, group.id, null, 'dissolved', change);
      await touchCaseGroup(tx, group.id, change.at, { userId: change.userId, agencyId: change.agencyId, reason });
      await this.record(tx, principal, locked, 'CASE_GROUP_DISSOLVED', group, reason);
      await this.tell(tx, group, current, group.version + 1);
      return this.render(tx, principal, (await this.reread(tx, group.id))!);
    });
  }

  /** The open group of each referral, as its view shows it (the caller may see the referral, hence the group). */
  async groupsOfReferrals(q: EntityManager, referralIds: string[]): Promise<Map<string, ReferralCaseGroup>> {
    const rows = await openGroupsOf(q, referralIds);
    const agencies = await this.agencies(
      q,
      rows.map((r) => r.group.leadAgencyId),
    );
    return new Map(
      rows.map((r) => [r.referralId, { id: r.group.id, name: r.group.name, leadAgency: agencies.brief(r.group.leadAgencyId) }]),
    );
  }

  // ---- checks -------------------------------------------------------------------

  private async group(q: Queryable, principal: Principal, id: string, lock = false): Promise<CaseGroupRow> {
    const row = await readCaseGroup(q, visibleCaseGroups(principal), id, { lock });
    if (!row) throw notFound('Case group');
    return row;
  }

  /** The group as it is now, whoever may see it (the answer to a change that took the caller's last member away). */
  private async reread(tx: EntityManager, id: string): Promise<CaseGroupRow | null> {
    return readCaseGroup(tx, EVERY_CASE_GROUP, id);
  }

  /** A group the caller may change: visible (404), a police lead of its lead or forming unit (403), the version (412). */
  private async changeable(tx: EntityManager, principal: Principal, id: string, ifMatch?: number): Promise<CaseGroupRow> {
    const group = await this.group(tx, principal, id, true);
    const ownUnit = principal.agency.id === group.leadAgencyId || principal.agency.id === group.createdAgencyId;
    if (!formsCaseGroups(principal) || !ownUnit) {
      throw forbidden('Only a police lead of the lead unit or of the unit that formed it changes a case group');
    }
    if (ifMatch !== undefined && ifMatch !== group.version) {
      throw new DomainException('VERSION_CONFLICT', `The case group is at version ${group.version}, not ${ifMatch}`, {
        currentVersion: group.version,
      });
    }
    return group;
  }

  /**
   * Locks the referrals in id order (the engine's lock: a concurrent event or group
   * change waits), each within the caller's scope (else 404); another workflow → 400.
   */
  private async lockReadable(tx: EntityManager, principal: Principal, ids: string[], field: string): Promise<LockedReferral[]> {
    const byId = new Map<string, LockedReferral>();
    for (const id of [...ids].sort()) byId.set(id, await this.engine.lock(tx, id, principal));
    const locked = ids.map((id) => byId.get(id)!);
    const errors = locked.flatMap((l, i) =>
      l.row.workflow === 'referral'
        ? []
        : [
            {
              field: ids.length > 1 || field !== 'referralId' ? `${field}.${i}` : field,
              message: `a ${l.row.workflow} is not a referral`,
            },
          ],
    );
    if (errors.length > 0) throw validationFailed(errors, 'Only referrals are grouped');
    return locked;
  }

  private async mustBeUngrouped(tx: EntityManager, ids: string[]): Promise<void> {
    const [taken] = await openGroupsOf(tx, ids);
    if (taken) {
      throw new DomainException('ALREADY_EXISTS', `Referral ${taken.referralId} is already in case group "${taken.group.name}"`, {
        existingId: taken.group.id,
      });
    }
  }

  /** Each of `added` shares a party (confirmed or possible) with another of `members`, else 400 naming it. */
  private async mustShareParties(tx: EntityManager, added: string[], members: string[], field: string): Promise<void> {
    const pairs = await sharedPartiesAmong(tx, members);
    const errors = added.flatMap((id, i) =>
      pairs.some((p) => p.referralId === id)
        ? []
        : [
            {
              field: field === 'referralId' ? field : `${field}.${i}`,
              message: 'shares no party with another referral of the group',
            },
          ],
    );
    if (errors.length > 0) throw validationFailed(errors, 'Every referral of a case group shares a party with another');
  }

  private change(principal: Principal, reason: string): Change {
    return { userId: principal.userId, agencyId: principal.agency.id, at: this.clock.now(), reason };
  }

  // ---- effects ------------------------------------------------------------------

  private async record(
    tx: EntityManager,
    principal: Principal,
    locked: LockedReferral[],
    type: CaseGroupFact,
    group: CaseGroupRow,
    reason: string,
  ): Promise<void> {
    for (const l of locked) {
      await this.engine.recordFact(tx, l, principal, type, {
        caseGroupId: group.id,
        name: group.name,
        leadAgencyId: group.leadAgencyId,
        reason,
      });
    }
  }

  /** The police units holding the members hear of it, each about its own member (one it may read). */
  private async tell(tx: EntityManager, group: CaseGroupRow, referralIds: string[], version: number): Promise<void> {
    const members = await referralSummaries(tx, EVERY_REFERRAL, referralIds);
    await insertOutbox(
      tx,
      members.map((m) => ({
        topic: OUTBOX_TOPICS.notification,
        dedupeKey: `case-group:${group.id}:${version}:${m.id}`,
        payload: { referralId: m.id, template: 'case-group-changed', recipientAgencyIds: [m.targetAgencyId] },
      })),
    );
  }

  // ---- the view -----------------------------------------------------------------

  private async render(tx: EntityManager, principal: Principal, group: CaseGroupRow): Promise<CaseGroupView> {
    const rows = await membershipsOf(tx, [group.id]);
    const shown = rows.filter(isShown);
    const referralIds = [...new Set(rows.map((m) => m.referralId))];
    const summaries = new Map((await referralSummaries(tx, visibleReferrals(principal), referralIds)).map((r) => [r.id, r]));
    const visible = (id: string) => summaries.get(id)?.visible === true;
    const deadlines = await shownDeadlinesOf(tx, shown.map((m) => m.referralId).filter(visible));
    const agencyIds = [
      group.leadAgencyId,
      group.createdAgencyId,
      ...(group.dissolvedAgencyId ? [group.dissolvedAgencyId] : []),
      ...rows.flatMap((m) => [m.addedAgencyId, ...(m.removedAgencyId ? [m.removedAgencyId] : [])]),
      ...[...summaries.values()].flatMap((r) => [r.sourceAgencyId, r.targetAgencyId]),
    ];
    const agencies = await this.agencies(tx, agencyIds);
    const users = await this.users(tx, [group.createdBy, group.dissolvedBy, ...rows.flatMap((m) => [m.addedBy, m.removedBy])]);
    const actor = (userId: string | null, agencyId: string): CaseGroupActor => ({
      userId,
      displayName: userId ? (users.get(userId) ?? null) : null,
      agency: agencies.brief(agencyId),
    });

    let hidden = 0;
    const keys = new Map<string, string>();
    const members: CaseGroupMember[] = shown.map((m) => {
      const r = summaries.get(m.referralId)!;
      if (!r.visible) {
        const key = `hidden-${++hidden}`;
        keys.set(m.referralId, key);
        return { key, inScope: false, holdingAgency: agencies.holder(r.targetAgencyId) };
      }
      const key = `referral:${r.id}`;
      keys.set(m.referralId, key);
      return {
        key,
        inScope: true,
        id: r.id,
        referenceNo: r.referenceNo,
        title: r.title,
        state: r.state,
        regionCode: r.regionCode,
        sourceAgency: agencies.brief(r.sourceAgencyId),
        targetAgency: agencies.brief(r.targetAgencyId),
        deadlines: deadlines.filter((d) => d.referralId === r.id && OPEN_DEADLINE.has(d.status)).map(deadlineView),
        addedAt: m.addedAt.toISOString(),
      };
    });

    const history: CaseGroupHistoryEntry[] = [
      {
        action: 'formed',
        at: group.createdAt.toISOString(),
        by: actor(group.createdBy, group.createdAgencyId),
        reason: group.reason,
        referral: null,
      },
    ];
    const ref = (id: string) => (visible(id) ? { id, referenceNo: summaries.get(id)!.referenceNo } : null);
    for (const m of rows) {
      if (m.addedAt.getTime() !== group.createdAt.getTime()) {
        history.push({
          action: 'member-added',
          at: m.addedAt.toISOString(),
          by: actor(m.addedBy, m.addedAgencyId),
          reason: m.addedReason,
          referral: ref(m.referralId),
        });
      }
      if (m.removal === 'removed') {
        history.push({
          action: 'member-removed',
          at: m.removedAt!.toISOString(),
          by: actor(m.removedBy, m.removedAgencyId!),
          reason: m.removedReason!,
          referral: ref(m.referralId),
        });
      }
    }
    if (group.dissolvedAt) {
      history.push({
        action: 'dissolved',
        at: group.dissolvedAt.toISOString(),
        by: actor(group.dissolvedBy, group.dissolvedAgencyId!),
        reason: group.dissolveReason!,
        referral: null,
      });
    }
    history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

    return {
      id: group.id,
      name: group.name,
      leadAgency: agencies.brief(group.leadAgencyId),
      reason: group.reason,
      open: group.dissolvedAt === null,
      version: group.version,
      createdBy: actor(group.createdBy, group.createdAgencyId),
      createdAt: group.createdAt.toISOString(),
      updatedAt: group.updatedAt.toISOString(),
      dissolvedAt: group.dissolvedAt?.toISOString() ?? null,
      dissolvedBy: group.dissolvedAt ? actor(group.dissolvedBy, group.dissolvedAgencyId!) : null,
      dissolveReason: group.dissolveReason,
      members,
      sharedParties: await this.sharedParties(
        tx,
        shown.map((m) => m.referralId),
        visible,
        keys,
      ),
      history,
    };
  }

  /**
   * The parties that link the members: only parties an in-scope member states (a
   * party only a hidden member states would tell of its facts), each with the keys of
   * the members it links.
   */
  private async sharedParties(
    tx: EntityManager,
    memberIds: string[],
    visible: (id: string) => boolean,
    keys: Map<string, string>,
  ): Promise<CaseGroupSharedParty[]> {
    const pairs: SharedPartyPair[] = (await sharedPartiesAmong(tx, memberIds)).filter((p) => visible(p.referralId));
    const byParty = new Map<string, { match: 'confirmed' | 'possible'; members: Set<string> }>();
    for (const p of pairs) {
      const entry = byParty.get(p.partyId) ?? { match: p.match, members: new Set<string>() };
      if (p.match === 'confirmed') entry.match = 'confirmed';
      entry.members.add(keys.get(p.referralId)!).add(keys.get(p.otherReferralId)!);
      byParty.set(p.partyId, entry);
    }
    const parties = await partiesByIds(tx, [...byParty.keys()]);
    const order = new Map(memberIds.map((id, i) => [keys.get(id)!, i]));
    return parties.map((p) => ({
      party: partyNode(p),
      match: byParty.get(p.id)!.match,
      members: [...byParty.get(p.id)!.members].sort((a, b) => order.get(a)! - order.get(b)!),
    }));
  }

  private async agencies(q: Pick<EntityManager, 'getRepository'>, ids: string[]) {
    const unique = [...new Set(ids)];
    const found = unique.length > 0 ? await q.getRepository(Agency).findBy({ id: In(unique) }) : [];
    const byId = new Map(found.map((a) => [a.id, a]));
    return {
      brief: (id: string) => ({ id, name: byId.get(id)?.name ?? '', regionCode: byId.get(id)?.regionCode ?? '' }),
      holder: (id: string) => ({ name: byId.get(id)?.name ?? '', regionCode: byId.get(id)?.regionCode ?? '' }),
    };
  }

  private async users(tx: EntityManager, ids: (string | null)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    if (unique.length === 0) return new Map();
    const found = await tx.getRepository(User).findBy({ id: In(unique) });
    return new Map(found.map((u) => [u.id, u.displayName]));
  }
}
