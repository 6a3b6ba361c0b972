// Case groups (并案, issue 11 §2): a police lead groups referrals that share parties
// under a lead unit; the group shows its members' states and deadlines together, each
// caller seeing in full only the members in its scope; the members stay separate
// procedures. Every refusal writes nothing.
import { creditCodeCheck } from '../workflows/parties/party-identity';
import {
  eventually,
  expectProblem,
  expectValidationFailed,
  startReverseTransfer,
  useScenario,
  type Caller,
  type Scenario,
} from './kit';
import { referralBody } from './support/world';

const GROUPS = '/api/v1/case-groups';
const code = (prefix17: string) => prefix17 + creditCodeCheck(prefix17);
let serial = 0;

/** An organisation with a checked credit code of its own, for one story. */
const org = (name: string) => ({
  kind: 'organization' as const,
  name,
  idNumber: code(`91330100MA2G${String(++serial).padStart(5, '0')}`),
});

async function submit(s: Scenario, user: Caller, suspects: object[], title = 'Grouped case') {
  const res = await s.as(user).post('/api/v1/referrals', referralBody(s.w.agencies.hzPsb, { suspects, title }));
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; referenceNo: string; version: number; state: string };
}

const groupRows = async (s: Scenario) => {
  const [g] = await s.t.db.query(`SELECT count(*)::int AS n FROM case_groups`);
  const [m] = await s.t.db.query(`SELECT count(*)::int AS n FROM case_group_members`);
  return { groups: g.n, members: m.n };
};

describe('case groups', () => {
  const s = useScenario();

  /** Three referrals held by hz-psb stating one party: two from hz-amr, one from nb-amr. */
  async function threeLinked(label: string) {
    const party = org(`${label} Supply Co.`);
    const a = await submit(s, 'officer', [party], `${label} A`);
    const b = await submit(s, 'officer', [party], `${label} B`);
    const c = await submit(s, 'nbOfficer', [party], `${label} C`);
    return { party, a, b, c };
  }

  const form = (ids: string[], over: Record<string, unknown> = {}, user: Caller = 'lead') =>
    s
      .as(user)
      .post(GROUPS, { name: 'Network', leadAgencyId: s.w.agencies.hzPsb, referralIds: ids, reason: 'Same supplier', ...over });

  it('forms a group, shows its members with states and deadlines, and each caller only the members in its scope', async () => {
    const { a, b, c } = await threeLinked('Scope');
    const res = await form([a.id, b.id, c.id], { name: 'Scope network' });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const group = res.body;
    expect(group).toMatchObject({
      name: 'Scope network',
      open: true,
      version: 1,
      leadAgency: { id: s.w.agencies.hzPsb, name: 'Hangzhou Public Security Bureau', regionCode: '330100' },
      createdBy: { userId: s.w.userIds.lead, agency: { id: s.w.agencies.hzPsb } },
      history: [expect.objectContaining({ action: 'formed', reason: 'Same supplier', referral: null })],
    });
    expect(group.members.map((m: any) => m.id)).toEqual([a.id, b.id, c.id]);
    for (const m of group.members) {
      expect(m).toMatchObject({ inScope: true, state: 'submitted', targetAgency: { id: s.w.agencies.hzPsb } });
      expect(m.deadlines.map((d: any) => d.kind)).toContain('acknowledge');
      expect(m.deadlines.every((d: any) => typeof d.dueAt === 'string')).toBe(true);
    }
    expect(group.sharedParties).toEqual([
      expect.objectContaining({
        match: 'confirmed',
        party: expect.objectContaining({ identifier: expect.stringMatching(/^9133\*+/) }),
        members: [`referral:${a.id}`, `referral:${b.id}`, `referral:${c.id}`],
      }),
    ]);

    const view = async (user: Caller) => {
      const r = await s.as(user).get(`${GROUPS}/${group.id}`);
      return r;
    };
    const shownIds = (body: any) => body.members.filter((m: any) => m.inScope).map((m: any) => m.id);
    // The source agency of two: those in full, the third as its existence and holder only.
    const asOfficer = (await view('officer')).body;
    expect(shownIds(asOfficer)).toEqual([a.id, b.id]);
    const hidden = asOfficer.members.find((m: any) => !m.inScope);
    expect(hidden).toEqual({
      key: 'hidden-1',
      inScope: false,
      holdingAgency: { name: 'Hangzhou Public Security Bureau', regionCode: '330100' },
    });
    expect(JSON.stringify(asOfficer)).not.toContain(c.id);
    expect(JSON.stringify(asOfficer)).not.toContain(c.referenceNo);
    expect(asOfficer.sharedParties[0].members).toEqual([`referral:${a.id}`, `referral:${b.id}`, 'hidden-1']);
    // The other source agency: its own one.
    expect(shownIds((await view('nbOfficer')).body)).toEqual([c.id]);
    // The procuratorate of Hangzhou: the two of its region.
    expect(shownIds((await view('procurator')).body)).toEqual([a.id, b.id]);
    // The province supervisor: all three.
    expect(shownIds((await view('supervisor')).body)).toEqual([a.id, b.id, c.id]);
    // Another police unit and an outsider: no member in scope, no group.
    expectProblem(await view('nbLead'), 404, 'NOT_FOUND');
    expectProblem(await view('jsSupervisor'), 404, 'NOT_FOUND');
    expectProblem(await view('westLead'), 404, 'NOT_FOUND');

    // The list: where the caller sees a member.
    const listed = async (user: Caller) =>
      ((await s.as(user).get(`${GROUPS}?limit=100`)).body.items as { id: string }[]).map((g) => g.id);
    expect(await listed('lead')).toContain(group.id);
    expect(await listed('nbOfficer')).toContain(group.id);
    expect(await listed('nbLead')).not.toContain(group.id);
    expect(await listed('jsSupervisor')).not.toContain(group.id);
    const summary = (await s.as('officer').get(`${GROUPS}?limit=100`)).body.items.find((g: any) => g.id === group.id);
    expect(summary).toMatchObject({ name: 'Scope network', open: true, memberCount: 3 });

    // The referral view names the group to whoever sees the referral.
    expect((await s.get(a.id, 'officer')).body.caseGroup).toEqual({
      id: group.id,
      name: 'Scope network',
      leadAgency: { id: s.w.agencies.hzPsb, name: 'Hangzhou Public Security Bureau', regionCode: '330100' },
    });
    // The police units holding the members are told, about a member they hold.
    await eventually(
      'the holder told',
      async () =>
        ((await s.as('lead').get('/api/v1/notifications?limit=100')).body.items as { type: string; referralId: string }[])
          .filter((n) => n.type === 'case-group-changed')
          .map((n) => n.referralId),
      (ids) => [a.id, b.id, c.id].every((id) => ids.includes(id)),
    );
  });

  it('leaves the members’ procedures as they were: versions, states and deadlines; events go on as before', async () => {
    const { a, b } = await threeLinked('Procedure');
    const before = (await s.get(a.id, 'lead')).body;
    const res = await form([a.id, b.id]);
    expect(res.status).toBe(201);
    const after = (await s.get(a.id, 'lead')).body;
    expect(after.version).toBe(before.version);
    expect(after.state).toBe(before.state);
    expect(after.deadlines).toEqual(before.deadlines);
    expect(after.allowedEvents).toEqual(before.allowedEvents);
    // The change is in the timeline, attributed; the If-Match of before still holds.
    const timeline = (await s.t.http().get(`/api/v1/referrals/${a.id}/timeline`).set('Authorization', s.auth('officer'))).body
      .items as any[];
    const joined = timeline.find((e) => e.type === 'CASE_GROUP_JOINED');
    expect(joined).toMatchObject({ payload: expect.objectContaining({ caseGroupId: res.body.id, reason: 'Same supplier' }) });
    const acknowledged = await s.send(a.id, 'lead', { type: 'ACKNOWLEDGE' }, before.version);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.state).toBe('under-review');
    // The other member is untouched by its sibling's step.
    expect((await s.get(b.id, 'lead')).body.state).toBe('submitted');
    const group = (await s.as('lead').get(`${GROUPS}/${res.body.id}`)).body;
    expect(group.members.map((m: any) => m.state)).toEqual(['under-review', 'submitted']);
    expect((await s.t.http().get(`/api/v1/referrals/${a.id}/verify`).set('Authorization', s.auth('admin'))).body).toMatchObject({
      valid: true,
    });
  });

  it('adds, removes and dissolves, each change attributed; a dissolved group stays readable and changes no more', async () => {
    const { party, a, b, c } = await threeLinked('Change');
    const d = await submit(s, 'officer', [party], 'Change D');
    const id = (await form([a.id, b.id])).body.id;

    const added = await s
      .as('lead')
      .post(`${GROUPS}/${id}/members`)
      .set('If-Match', '"1"')
      .send({ referralId: c.id, reason: 'A third' });
    expect(added.status).toBe(200);
    expect(added.headers.etag).toBe('"2"');
    expect(added.body.members.map((m: any) => m.id)).toEqual([a.id, b.id, c.id]);
    // A stale If-Match: 412, nothing written.
    const rows = await groupRows(s);
    expectProblem(
      await s.as('lead').post(`${GROUPS}/${id}/members`).set('If-Match', '"1"').send({ referralId: d.id, reason: 'Late' }),
      412,
      'VERSION_CONFLICT',
    );
    expect(await groupRows(s)).toEqual(rows);
    expect((await s.as('lead').post(`${GROUPS}/${id}/members`).send({ referralId: d.id, reason: 'A fourth' })).status).toBe(200);

    const removed = await s.as('lead').delete(`${GROUPS}/${id}/members/${d.id}?reason=${encodeURIComponent('Not the same')}`);
    expect(removed.status).toBe(200);
    expect(removed.body.version).toBe(4);
    expect(removed.body.members.map((m: any) => m.id)).toEqual([a.id, b.id, c.id]);
    expect(removed.body.history.map((h: any) => [h.action, h.referral?.id ?? null, h.reason])).toEqual([
      ['formed', null, 'Same supplier'],
      ['member-added', c.id, 'A third'],
      ['member-added', d.id, 'A fourth'],
      ['member-removed', d.id, 'Not the same'],
    ]);
    expect(removed.body.history[3].by).toMatchObject({ userId: s.w.userIds.lead, displayName: 'lead' });
    expect((await s.get(d.id, 'lead')).body.caseGroup).toBeNull();
    expect(await s.timeline(d.id)).toEqual(expect.arrayContaining(['CASE_GROUP_JOINED', 'CASE_GROUP_LEFT']));
    // Removing without a reason, or a referral that is not a member.
    expectValidationFailed(await s.as('lead').delete(`${GROUPS}/${id}/members/${c.id}`), 'reason');
    expectProblem(await s.as('lead').delete(`${GROUPS}/${id}/members/${d.id}?reason=x`), 404, 'NOT_FOUND');

    // Two removals leave two; the next would leave one: 409.
    expect((await s.as('lead').delete(`${GROUPS}/${id}/members/${c.id}?reason=split`)).status).toBe(200);
    expectProblem(await s.as('lead').delete(`${GROUPS}/${id}/members/${b.id}?reason=split`), 409, 'TRANSITION_NOT_ALLOWED');

    const dissolved = await s.as('lead').post(`${GROUPS}/${id}/dissolve`).send({ reason: 'Handled separately' });
    expect(dissolved.status).toBe(200);
    expect(dissolved.body).toMatchObject({
      open: false,
      dissolveReason: 'Handled separately',
      dissolvedBy: { userId: s.w.userIds.lead },
    });
    expect(dissolved.body.members.map((m: any) => m.id)).toEqual([a.id, b.id]);
    expect(dissolved.body.history.at(-1)).toMatchObject({ action: 'dissolved', reason: 'Handled separately' });
    expect(await s.timeline(a.id)).toContain('CASE_GROUP_DISSOLVED');
    expect((await s.get(a.id, 'lead')).body.caseGroup).toBeNull();
    // Still readable, listed as dissolved; changes refused.
    expect((await s.as('officer').get(`${GROUPS}/${id}`)).status).toBe(200);
    const dissolvedList = (await s.as('lead').get(`${GROUPS}?open=false&limit=100`)).body.items.map((g: any) => g.id);
    expect(dissolvedList).toContain(id);
    expect((await s.as('lead').get(`${GROUPS}?open=true&limit=100`)).body.items.map((g: any) => g.id)).not.toContain(id);
    expectProblem(await s.as('lead').post(`${GROUPS}/${id}/dissolve`).send({ reason: 'again' }), 409, 'TRANSITION_NOT_ALLOWED');
    expectProblem(
      await s.as('lead').post(`${GROUPS}/${id}/members`).send({ referralId: c.id, reason: 'back' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    // Its members are free for another group.
    expect((await form([a.id, b.id, c.id])).status).toBe(201);
  });

  it('refuses: 403 for roles, 404 out of scope, 409 already grouped, 400 no shared party or a bad body; nothing written', async () => {
    const { party, a, b, c } = await threeLinked('Refusal');
    const loner = await submit(s, 'officer', [org('Unrelated Co.')], 'Loner');
    const rows = await groupRows(s);
    // Roles: only a police lead forms a group.
    expectProblem(await form([a.id, b.id], {}, 'policeOfficer'), 403, 'FORBIDDEN');
    expectProblem(await form([a.id, b.id], {}, 'officer'), 403, 'FORBIDDEN');
    expectProblem(await form([a.id, b.id], {}, 'supervisor'), 403, 'FORBIDDEN');
    // A police lead who may not read them.
    expectProblem(await form([a.id, b.id], { leadAgencyId: s.w.agencies.hzPsbWest }, 'westLead'), 404, 'NOT_FOUND');
    expectProblem(await form([a.id, '00000000-0000-4000-8000-000000000000']), 404, 'NOT_FOUND');
    // No shared party; a lead unit that holds none of them; another workflow.
    expectValidationFailed(await form([a.id, loner.id]), 'referralIds.1');
    expectValidationFailed(await form([a.id, b.id], { leadAgencyId: s.w.agencies.nbPsb }), 'leadAgencyId');
    // A reverse transfer hz-psb started (no referral behind it): readable, but not a referral.
    const reverse = await startReverseTransfer(
      s,
      { basis: 'not-filed', reasons: 'Below the threshold', opinion: undefined, criminalDecisionNo: undefined },
      'lead',
    );
    expectValidationFailed(await form([a.id, reverse.id]), 'referralIds.1');
    // Bad bodies.
    expectValidationFailed(await form([a.id]), 'referralIds');
    expectValidationFailed(await form([a.id, a.id]), 'referralIds');
    expectValidationFailed(await form([a.id, b.id], { reason: '' }), 'reason');
    expectValidationFailed(await form([a.id, b.id], { color: 'red' }), 'color');
    expectValidationFailed(await form([a.id, 'not-a-uuid']), 'referralIds');
    expectValidationFailed(await s.as('lead').get(`${GROUPS}?cursor=%%%`), 'cursor');
    expect(await groupRows(s)).toEqual(rows);

    // Already in an open group: 409, naming it.
    const first = await form([a.id, b.id]);
    expect(first.status).toBe(201);
    const taken = await form([b.id, c.id]);
    expectProblem(taken, 409, 'ALREADY_EXISTS');
    expect(taken.body.existingId).toBe(first.body.id);
    const id = first.body.id;
    expectProblem(
      await s.as('lead').post(`${GROUPS}/${id}/members`).send({ referralId: b.id, reason: 'twice' }),
      409,
      'ALREADY_EXISTS',
    );
    expectValidationFailed(
      await s.as('lead').post(`${GROUPS}/${id}/members`).send({ referralId: loner.id, reason: 'no' }),
      'referralId',
    );
    // Changes: 404 for who may not see the group, 403 for a role or unit that may not change it.
    expectProblem(await s.as('nbLead').post(`${GROUPS}/${id}/dissolve`).send({ reason: 'no' }), 404, 'NOT_FOUND');
    expectProblem(await s.as('policeOfficer').post(`${GROUPS}/${id}/dissolve`).send({ reason: 'no' }), 403, 'FORBIDDEN');
    expectProblem(
      await s.as('officer').post(`${GROUPS}/${id}/members`).send({ referralId: c.id, reason: 'no' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await s.as('lead').get(`${GROUPS}/not-a-uuid`), 404, 'NOT_FOUND');
    expectValidationFailed(await s.as('lead').post(`${GROUPS}/${id}/dissolve`).send({}), 'reason');
    const now = await groupRows(s);
    expect(now).toEqual({ groups: rows.groups + 1, members: rows.members + 2 });
    void party;
  });

  it('puts a referral in one group when two leads group it at once: one 201, the other 409, never a 5xx', async () => {
    const { a, b, c } = await threeLinked('Race');
    const results = await Promise.all([form([a.id, b.id], { name: 'First' }), form([b.id, c.id], { name: 'Second' })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const [{ n }] = await s.t.db.query(
      `SELECT count(*)::int AS n FROM case_group_members WHERE referral_id = $1 AND removed_at IS NULL`,
      [b.id],
    );
    expect(n).toBe(1);
  });

  it('answers a repeated Idempotency-Key with the first group, another body with 409', async () => {
    const { a, b } = await threeLinked('Idempotent');
    const body = { name: 'Once', leadAgencyId: s.w.agencies.hzPsb, referralIds: [a.id, b.id], reason: 'Same supplier' };
    const post = (b2: object) =>
      s.t.http().post(GROUPS).set('Authorization', s.auth('lead')).set('Idempotency-Key', 'grp-1').send(b2);
    const first = await post(body);
    expect(first.status).toBe(201);
    const again = await post(body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expectProblem(await post({ ...body, name: 'Twice' }), 409, 'IDEMPOTENCY_KEY_REUSED');
  });
});
