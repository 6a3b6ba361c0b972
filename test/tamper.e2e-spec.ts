// The timeline is evidence: the application's own connection cannot rewrite it,
// and a rewrite by someone who can (a superuser bypassing the trigger) is caught
// by GET /verify at the first row whose hash chain no longer holds.
import { chainHash } from '../src/audit/hash-chain';
import { buildWorld, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { asSuperuserBypassingTriggers as bypassTriggers, kit } from './kit/e2e-kit';

interface TimelineRow {
  seq: number;
  type: string;
  hash: string;
  prevHash: string;
}

describe('timeline tamper evidence', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
  });
  afterAll(() => t?.close());

  /** SUBMIT, COMMENT, ACKNOWLEDGE, COMMENT, RECORD_REVIEW: five chained rows. */
  async function referralWithFiveEvents(): Promise<string> {
    const r = await k.submit();
    await k.must(r.id, 'officer', { type: 'COMMENT', text: 'originals are in the warehouse' });
    await k.must(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
    await k.must(r.id, 'lead', { type: 'COMMENT', text: 'reviewing' });
    await k.must(r.id, 'policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'Evidence supports filing' });
    return r.id;
  }

  /** Runs SQL as a superuser with triggers off: what an attacker with database access could do. */
  const asSuperuserBypassingTriggers = (sql: string, params: unknown[]) => bypassTriggers(t, sql, params);

  const timeline = async (id: string) => (await k.timeline(id)).body.items as TimelineRow[];
  const verify = async (id: string) =>
    (await k.verify(id)).body as { valid: boolean; events: number; headHash: string; firstBadSeq?: number };

  test('an untouched timeline verifies: valid, N events, headHash = last hash', async () => {
    const id = await referralWithFiveEvents();
    const items = await timeline(id);
    expect(items.map((e) => [e.seq, e.type])).toEqual([
      [1, 'SUBMIT'],
      [2, 'COMMENT'],
      [3, 'ACKNOWLEDGE'],
      [4, 'COMMENT'],
      [5, 'RECORD_REVIEW'],
    ]);
    expect(items[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < items.length; i++) expect(items[i].prevHash).toBe(items[i - 1].hash);
    expect(await verify(id)).toEqual({ valid: true, events: 5, headHash: items[4].hash });
    // every in-scope reader gets the same answer
    for (const user of ['officer', 'lead', 'procurator', 'supervisor'] as const) {
      expect((await k.verify(id, user)).body).toEqual({ valid: true, events: 5, headHash: items[4].hash });
    }
  });

  describe("the application's own connection cannot rewrite the timeline", () => {
    let id: string;
    let before: TimelineRow[];
    beforeAll(async () => {
      id = await referralWithFiveEvents();
      before = await timeline(id);
    });

    test('UPDATE is refused', async () => {
      await expect(
        t.db.query(`UPDATE referral_events SET payload = '{"text":"rewritten"}' WHERE referral_id = $1 AND seq = 2`, [id]),
      ).rejects.toThrow(/append-only/);
    });

    test('DELETE is refused', async () => {
      await expect(t.db.query(`DELETE FROM referral_events WHERE referral_id = $1 AND seq = 3`, [id])).rejects.toThrow(
        /append-only/,
      );
    });

    test('TRUNCATE is refused', async () => {
      await expect(t.db.query(`TRUNCATE referral_events`)).rejects.toThrow(/append-only/);
    });

    test('an UPDATE inside a transaction is refused too', async () => {
      await expect(
        t.db.transaction((tx) => tx.query(`UPDATE referral_events SET to_state = 'accepted' WHERE referral_id = $1`, [id])),
      ).rejects.toThrow(/append-only/);
    });

    test('after the attempts the timeline is unchanged and verifies', async () => {
      expect(await timeline(id)).toEqual(before);
      expect(await verify(id)).toEqual({ valid: true, events: 5, headHash: before[4].hash });
    });
  });

  describe('a superuser bypassing the trigger', () => {
    test('changing the payload of seq 3 → valid false, firstBadSeq 3', async () => {
      const id = await referralWithFiveEvents();
      const changed = await asSuperuserBypassingTriggers(
        `UPDATE referral_events SET payload = '{"forged": true}' WHERE referral_id = $1 AND seq = 3`,
        [id],
      );
      expect(changed).toBe(1);
      expect(await verify(id)).toMatchObject({ valid: false, events: 5, firstBadSeq: 3 });
    });

    test('changing only the last row (seq 5) → firstBadSeq 5', async () => {
      const id = await referralWithFiveEvents();
      const changed = await asSuperuserBypassingTriggers(
        `UPDATE referral_events SET payload = jsonb_set(payload, '{recommendation}', '"not-file"') WHERE referral_id = $1 AND seq = 5`,
        [id],
      );
      expect(changed).toBe(1);
      expect(await verify(id)).toMatchObject({ valid: false, events: 5, firstBadSeq: 5 });
    });

    test('changing a non-payload column (actor of seq 4) → firstBadSeq 4', async () => {
      const id = await referralWithFiveEvents();
      const changed = await asSuperuserBypassingTriggers(
        `UPDATE referral_events SET actor_user_id = $2 WHERE referral_id = $1 AND seq = 4`,
        [id, w.userIds.officer],
      );
      expect(changed).toBe(1);
      expect(await verify(id)).toMatchObject({ valid: false, firstBadSeq: 4 });
    });

    test('rewriting seq 3 with a correctly recomputed hash → the break shows at seq 4', async () => {
      const id = await referralWithFiveEvents();
      // A careful forger recomputes the row's own hash; seq 4's prevHash still names the original.
      const row = (await k.timeline(id, 'officer')).body.items[2];
      const forgedPayload = { note: 'acknowledged a day late' };
      const forgedHash = chainHash(row.prevHash, {
        referralId: id,
        seq: row.seq,
        type: row.type,
        actor: row.actor,
        fromState: row.fromState,
        toState: row.toState,
        payload: forgedPayload,
        occurredAt: row.occurredAt,
      });
      await asSuperuserBypassingTriggers(
        `UPDATE referral_events SET payload = $2, hash = $3 WHERE referral_id = $1 AND seq = 3`,
        [id, forgedPayload, forgedHash],
      );
      const forged = (await timeline(id))[2];
      expect(forged.hash).toBe(forgedHash);
      expect(await verify(id)).toMatchObject({ valid: false, events: 5, firstBadSeq: 4 });
    });

    test('deleting a middle row (seq 3) → valid false, firstBadSeq at the gap', async () => {
      const id = await referralWithFiveEvents();
      const deleted = await asSuperuserBypassingTriggers(`DELETE FROM referral_events WHERE referral_id = $1 AND seq = 3`, [id]);
      expect(deleted).toBe(1);
      const result = await verify(id);
      expect(result).toMatchObject({ valid: false, events: 4 });
      // the gap is between seq 2 and seq 4: the missing seq or the first row after it
      expect([3, 4]).toContain(result.firstBadSeq);
    });

    test('deleting the last row keeps the chain valid but moves headHash (so a kept head hash exposes it)', async () => {
      const id = await referralWithFiveEvents();
      const { headHash } = await verify(id);
      await asSuperuserBypassingTriggers(`DELETE FROM referral_events WHERE referral_id = $1 AND seq = 5`, [id]);
      // The chain alone cannot see a cut-off tail; only a head hash kept elsewhere can.
      const items = await timeline(id);
      expect(await verify(id)).toEqual({ valid: true, events: 4, headHash: items[3].hash });
      expect(items[3].hash).not.toBe(headHash);
    });

    test('tampering one referral leaves the others valid', async () => {
      const clean = await referralWithFiveEvents();
      const dirty = await referralWithFiveEvents();
      await asSuperuserBypassingTriggers(`UPDATE referral_events SET type = 'ACCEPT' WHERE referral_id = $1 AND seq = 2`, [
        dirty,
      ]);
      expect(await verify(dirty)).toMatchObject({ valid: false, firstBadSeq: 2 });
      expect(await verify(clean)).toMatchObject({ valid: true, events: 5 });
    });
  });
});
