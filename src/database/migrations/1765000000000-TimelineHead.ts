import { MigrationInterface, QueryRunner } from 'typeorm';

// The head of each referral's hash chain (last seq and hash) rides on the referral
// row, so a step reads it with the row lock it takes anyway and chains the next
// timeline row without another read. NULL (rows written before, or by tools that
// insert directly) means "read the head from referral_events".
export class TimelineHead1765000000000 implements MigrationInterface {
  name = 'TimelineHead1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals ADD COLUMN timeline_seq int, ADD COLUMN timeline_hash text`);
    await q.query(`
      UPDATE referrals r SET timeline_seq = h.seq, timeline_hash = h.hash
        FROM (SELECT DISTINCT ON (referral_id) referral_id, seq, hash FROM referral_events ORDER BY referral_id, seq DESC) h
       WHERE h.referral_id = r.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals DROP COLUMN IF EXISTS timeline_seq, DROP COLUMN IF EXISTS timeline_hash`);
  }
}
