// The timeline of an instance (a referral or another procedure's) and the check of its hash chain.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { maskUnlessParty, visibleReferrals } from '../auth/scope';
import { readReferral } from '../referrals/referrals.repository';
import { chainHash, GENESIS_HASH } from './hash-chain';
import type { ChainCheck, Timeline } from './timeline.views';

interface EventRow {
  seq: number;
  type: string;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  actor_system: boolean;
  from_state: string | null;
  to_state: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `workflow`: the procedure the URL names; an instance of another one is a 404. */
  async timeline(principal: Principal, referralId: string, workflow = 'referral'): Promise<Timeline> {
    const referral = await readReferral(this.db, visibleReferrals(principal), referralId, workflow);
    const rows = await this.events(referralId);
    return {
      items: rows.map((e) => ({
        seq: e.seq,
        type: e.type,
        actor: { userId: e.actor_user_id, agencyId: e.actor_agency_id, system: e.actor_system },
        fromState: e.from_state,
        toState: e.to_state,
        payload: maskUnlessParty(principal.agency.id, e.payload, referral),
        occurredAt: e.occurred_at.toISOString(),
        hash: e.hash,
        prevHash: e.prev_hash,
      })),
    };
  }

  /** Recomputes the chain from the stored rows; the first row whose hash or link does not hold is reported. */
  async verify(principal: Principal, referralId: string, workflow = 'referral'): Promise<ChainCheck> {
    await readReferral(this.db, visibleReferrals(principal), referralId, workflow);
    const rows = await this.events(referralId);
    let prev = GENESIS_HASH;
    let firstBadSeq: number | undefined;
    for (const [i, e] of rows.entries()) {
      const expected = chainHash(prev, {
        referralId,
        seq: e.seq,
        type: e.type,
        actor: { userId: e.actor_user_id, agencyId: e.actor_agency_id, system: e.actor_system },
        fromState: e.from_state,
        toState: e.to_state,
        payload: e.payload,
        occurredAt: e.occurred_at.toISOString(),
      });
      if (e.seq !== i + 1 || e.prev_hash !== prev || e.hash !== expected) {
        firstBadSeq = e.seq;
        break;
      }
      prev = e.hash;
    }
    return {
      valid: firstBadSeq === undefined,
      events: rows.length,
      headHash: rows.length ? rows[rows.length - 1].hash : GENESIS_HASH,
      ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
    };
  }

  private events(referralId: string): Promise<EventRow[]> {
    return this.db.query(`SELECT * FROM referral_events WHERE referral_id = $1 ORDER BY seq`, [referralId]);
  }
}
