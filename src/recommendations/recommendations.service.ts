// The recommendation to transfer (检察意见 建议移送): a procurator issues it on an
// administrative case in the procuratorate's region; the agency transfers (which
// submits a referral pre-filled from the case, in the same transaction) or explains.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { visibleAdminCases, visibleReferrals } from '../auth/scope';
import { DomainException, forbidden } from '../common/problem';
import { lockAdminCase, readAdminCase, type AdminCaseRow } from '../admin-cases/admin-cases.repository';
import { ProceduresService, type ProcedureStart } from '../procedures/procedures.service';
import type { ProcedureView } from '../procedures/procedure.views';
import type { CreateReferralDto } from '../referrals/referral.dto';
import { listReferrals } from '../referrals/referrals.repository';
import { ReferralsService } from '../referrals/referrals.service';
import type { EventPayload, LockedReferral } from '../workflow-engine/workflow-engine.service';
import type { IssueRecommendationDto, TransferBody } from './recommendation.dto';

export const RECOMMENDATION = 'transfer-recommendation';
const OPEN_STATES = new Set(['issued', 'explanation-submitted', 'insisted']);

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly referrals: ReferralsService,
  ) {}

  issue(principal: Principal, dto: IssueRecommendationDto, idempotencyKey?: string): Promise<ProcedureView> {
    if (!principal.roles.includes('procurator') || principal.agency.kind !== 'procuratorate') {
      throw forbidden('Only a procurator issues a recommendation to transfer');
    }
    return this.procedures.create(principal, RECOMMENDATION, dto, idempotencyKey, (tx) => this.startOf(tx, principal, dto));
  }

  private async startOf(tx: EntityManager, principal: Principal, dto: IssueRecommendationDto): Promise<ProcedureStart> {
    // Locked: two procurators issuing on the same case at once would both see none open.
    const c = await lockAdminCase(tx, visibleAdminCases(principal), dto.adminCaseId);
    const issued = await listReferrals(tx, visibleReferrals(principal), { workflow: RECOMMENDATION, adminCaseId: c.id }, 100);
    const open = issued.find((r) => OPEN_STATES.has(r.state));
    if (open) {
      throw new DomainException('ALREADY_EXISTS', `Recommendation ${open.referenceNo} on this case is still open`, {
        existingId: open.id,
      });
    }
    return {
      sourceAgencyId: principal.agency.id,
      targetAgencyId: c.agencyId,
      regionCode: c.regionCode,
      domain: c.domain,
      title: c.title,
      summary: c.summary,
      parties: c.parties,
      campaign: c.campaign,
      facts: {
        reasons: dto.reasons,
        caseNo: c.caseNo,
        ...(c.screening.flag ? { screeningFlag: c.screening.flag } : {}),
        screeningReasons: c.screening.reasons.map((r) => r.text),
      },
      adminCaseId: c.id,
    };
  }

  /**
   * TRANSFER submits the referral from the case in the step's transaction, then
   * steps with its id. Only when the sender could send TRANSFER at all: anyone else
   * is refused by the step (403) before anything of theirs is written.
   */
  async prepareEvent(tx: EntityManager, principal: Principal, locked: LockedReferral, event: EventPayload) {
    if (event.type !== 'TRANSFER') return event;
    const mayTransfer = principal.roles.includes('agency-officer') && principal.agency.id === locked.row.targetAgencyId;
    if (!mayTransfer || !locked.row.adminCaseId) return { type: 'TRANSFER', referralId: '' };
    const body = event as unknown as TransferBody;
    const c = await readAdminCase(tx, visibleAdminCases(principal), locked.row.adminCaseId);
    const submitted = await this.referrals.submitIn(tx, principal, referralFromCase(c, body), {
      originId: locked.row.id,
      adminCaseId: c.id,
    });
    return { type: 'TRANSFER', referralId: submitted.row.id };
  }
}

/** The referral a transfer on a recommendation submits: the case as the agency recorded it. */
function referralFromCase(c: AdminCaseRow, body: TransferBody): CreateReferralDto {
  const f = c.facts;
  return {
    targetAgencyId: body.targetAgencyId,
    domain: c.domain,
    title: c.title,
    summary: c.summary,
    suspects: c.parties,
    // The amount the thresholds speak of first: sales, then business volume, then the goods' value.
    amountInvolved: f.salesAmount ?? f.illegalBusinessVolume ?? f.goodsValue ?? f.resourceValue ?? undefined,
    offence: body.offence,
    legalBasis: body.legalBasis,
    campaign: c.campaign ?? undefined,
    externalRef: c.caseNo.slice(0, 200),
    // The penalty already imposed is offset against a criminal fine (Transfer Provisions art. 11).
    administrativePenalties: [
      {
        decisionNo: c.penalty.decisionNo,
        decidedAt: c.penalty.decidedAt,
        kinds: c.penalty.kinds as never,
        fineAmount: c.penalty.fineAmount,
      },
    ],
  };
}
