// Who may start a reverse transfer, and what it starts with: the referral it came
// as (in the caller's scope, decided against filing or closed) or the case as the
// caller states it; the target must be an active administrative agency.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { visibleReferrals } from '../auth/scope';
import { DomainException, forbidden, validationFailed, type FieldError } from '../common/problem';
import { ProceduresService, type ProcedureStart } from '../procedures/procedures.service';
import { readReferral, type ReferralRow } from '../referrals/referrals.repository';
import type { ProcedureView } from '../procedures/procedure.views';
import type { CreateReverseTransferDto } from './reverse-transfer.dto';

/** Referral outcomes after which the case may go back for a penalty (Transfer Provisions art. 13). */
const OFFERING_OUTCOMES = new Set(['declined', 'reverse-transferred', 'investigation-terminated']);

@Injectable()
export class ReverseTransfersService {
  constructor(private readonly procedures: ProceduresService) {}

  create(principal: Principal, dto: CreateReverseTransferDto, idempotencyKey?: string): Promise<ProcedureView> {
    this.checkSender(principal, dto);
    return this.procedures.create(principal, 'reverse-transfer', dto, idempotencyKey, (tx) => this.startOf(tx, principal, dto));
  }

  private checkSender(principal: Principal, dto: CreateReverseTransferDto): void {
    const police = principal.roles.includes('police-lead') && principal.agency.kind === 'police';
    const procurator = principal.roles.includes('procurator') && principal.agency.kind === 'procuratorate';
    if (dto.basis === 'not-prosecuted' ? !procurator : !police) {
      throw forbidden(
        dto.basis === 'not-prosecuted'
          ? 'Only a procurator transfers a case back after deciding not to prosecute'
          : 'Only a police lead transfers a case back after not filing it or withdrawing it',
      );
    }
  }

  private async startOf(tx: EntityManager, principal: Principal, dto: CreateReverseTransferDto): Promise<ProcedureStart> {
    const origin = dto.referralId ? await this.originReferral(tx, principal, dto.referralId) : null;
    const errors: FieldError[] = [];
    if (dto.basis === 'not-prosecuted' && !dto.opinion) {
      errors.push({ field: 'opinion', message: 'the procuratorial opinion is required when basis is not-prosecuted' });
    }
    if (!origin) {
      for (const field of ['targetAgencyId', 'domain', 'title', 'summary', 'parties'] as const) {
        if (dto[field] === undefined) errors.push({ field, message: `${field} is required without referralId` });
      }
    }
    if (errors.length) throw validationFailed(errors);
    const target = await this.administrativeAgency(tx, dto.targetAgencyId ?? origin!.sourceAgencyId);
    return {
      sourceAgencyId: principal.agency.id,
      targetAgencyId: target.id,
      // The agency decides the penalty: its region's procuratorates and supervisors oversee it.
      regionCode: target.region_code,
      domain: dto.domain ?? origin!.domain,
      title: dto.title ?? origin!.title,
      summary: dto.summary ?? origin!.summary,
      parties: (dto.parties ?? origin!.suspects).map((p) => ({ ...p })),
      campaign: origin?.campaign ?? null,
      facts: {
        basis: dto.basis,
        procuratorialOpinion: dto.basis === 'not-prosecuted',
        reasons: dto.reasons,
        ...(dto.opinion ? { opinion: dto.opinion } : {}),
        ...(dto.criminalDecisionNo ? { criminalDecisionNo: dto.criminalDecisionNo } : {}),
      },
      originId: origin?.id ?? null,
    };
  }

  /** The referral the case came as: in scope (else 404), and decided so that it may go back. */
  private async originReferral(tx: EntityManager, principal: Principal, referralId: string): Promise<ReferralRow> {
    const referral = await readReferral(tx, visibleReferrals(principal), referralId, 'referral');
    if (principal.agency.kind === 'police' && referral.targetAgencyId !== principal.agency.id) {
      throw forbidden('Only the police unit that holds the referral transfers it back');
    }
    const offered = referral.state === 'closed' && OFFERING_OUTCOMES.has(referral.outcome ?? '');
    if (!offered && principal.agency.kind === 'police') {
      throw new DomainException(
        'TRANSITION_NOT_ALLOWED',
        `Referral ${referral.referenceNo} is ${referral.state}${referral.outcome ? ` (${referral.outcome})` : ''}: a reverse transfer follows a decision not to file or a withdrawal`,
        { allowedEvents: [] },
      );
    }
    return referral;
  }

  private async administrativeAgency(tx: EntityManager, agencyId: string): Promise<{ id: string; region_code: string }> {
    const [agency] = await tx.query(`SELECT id, kind, active, region_code FROM agencies WHERE id = $1`, [agencyId]);
    const field = 'targetAgencyId';
    if (!agency) throw validationFailed([{ field, message: 'agency does not exist' }]);
    if (agency.kind !== 'regulator') throw validationFailed([{ field, message: 'the target must be an administrative agency' }]);
    if (!agency.active) throw validationFailed([{ field, message: 'the agency is deactivated' }]);
    return agency;
  }
}
