// Recording, importing, reading and listing administrative cases. Every read
// carries the caller's scope in its SQL (auth/scope.ts visibleAdminCases); every
// write screens the case on the stored rules in force on its act date.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartiesService } from '../parties/parties.service';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/hash-chain';
import { mustBeRegistered, suggestedCampaign, unknownCampaign } from '../campaigns/campaign-register';
import { registeredCodes } from '../campaigns/campaigns.repository';
import type { Principal } from '../auth/principal';
import { visibleAdminCases } from '../auth/scope';
import { Clock } from '../common/clock';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from '../common/idempotency';
import { DomainException, forbidden, validationFailed, type FieldError } from '../common/problem';
import { flattenErrors, VALIDATOR_OPTIONS } from '../common/validate';
import { ScreeningService, screeningOf } from '../screening/screening.service';
import { decodeAdminCaseCursor, encodeAdminCaseCursor } from './admin-case.cursor';
import { CreateAdminCaseDto, ListAdminCasesQuery } from './admin-case.dto';
import { importRows } from './admin-case-import';
import { AdminCaseViews, type AdminCasePage, type AdminCaseView, type ImportReport } from './admin-case.views';
import {
  insertAdminCase,
  listAdminCases,
  lockOwnCaseByNumber,
  readAdminCase,
  replaceAdminCase,
  type AdminCaseContent,
  type AdminCaseRow,
} from './admin-cases.repository';

type Outcome = 'created' | 'updated' | 'unchanged';

/** Checks across fields that class-validator does not make. */
function crossFieldErrors(dto: CreateAdminCaseDto): FieldError[] {
  const errors: FieldError[] = [];
  if (dto.penalty.kinds.includes('fine') && !dto.penalty.fineAmount) {
    errors.push({ field: 'penalty.fineAmount', message: 'a fine needs its fineAmount' });
  }
  if (dto.actDate && dto.actDate > dto.penalty.decidedAt) {
    errors.push({ field: 'actDate', message: 'the act cannot be after the penalty decision' });
  }
  return errors;
}

/** What is stored: plain JSON of the validated body; the act date defaulting to the decision date. */
function contentOf(dto: CreateAdminCaseDto): AdminCaseContent {
  const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));
  const content = {
    caseNo: dto.caseNo,
    domain: dto.domain,
    title: dto.title,
    summary: dto.summary,
    parties: plain(dto.parties),
    facts: plain(dto.facts),
    penalty: plain(dto.penalty),
    priorPenalties: plain(dto.priorPenalties ?? []),
    campaign: dto.campaign ?? null,
    actDate: dto.actDate ?? dto.penalty.decidedAt,
  };
  // actDate given or defaulted are different records even when the dates agree
  const contentHash = createHash('sha256')
    .update(canonicalJson({ ...content, actDateGiven: dto.actDate ?? null }))
    .digest('hex');
  return { ...content, contentHash };
}

/** A body validated as POST /admin-cases validates it, without throwing: the import reports instead. */
function validateRow(body: Record<string, unknown>): { dto?: CreateAdminCaseDto; errors: FieldError[] } {
  if (JSON.stringify(body).includes('\\u0000'))
    return { errors: [{ field: '', message: 'text must not contain NUL characters' }] };
  const dto = plainToInstance(CreateAdminCaseDto, body);
  const errors = flattenErrors(validateSync(dto, VALIDATOR_OPTIONS));
  if (errors.length > 0) return { errors };
  const cross = crossFieldErrors(dto);
  return cross.length > 0 ? { errors: cross } : { dto, errors: [] };
}

@Injectable()
export class AdminCasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly screening: ScreeningService,
    private readonly views: AdminCaseViews,
    private readonly clock: Clock,
    private readonly parties: PartiesService,
  ) {}

  /** Record a case. With an Idempotency-Key a repeat returns the first response; the same caseNo again is 409. */
  async create(
    principal: Principal,
    dto: CreateAdminCaseDto,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: AdminCaseView }> {
    this.mustRecord(principal);
    const errors = crossFieldErrors(dto);
    if (errors.length > 0) throw validationFailed(errors);
    const content = contentOf(dto);
    return this.db.transaction(async (tx) => {
      if (idempotencyKey) {
        const replay = await claimIdempotencyKey(tx, principal.userId, idempotencyKey, requestHash('admin-cases', dto));
        if (replay) return { status: 201, body: await this.get(principal, replay.adminCaseId as string, tx) };
      }
      await mustBeRegistered(tx, content.campaign);
      await this.screening.holdRulesSteady(tx);
      const row = await this.insert(tx, principal, content);
      if (!row) {
        const existing = await lockOwnCaseByNumber(tx, visibleAdminCases(principal), content.caseNo);
        throw new DomainException('ALREADY_EXISTS', `Case ${content.caseNo} is already recorded by this agency`, {
          existingId: existing?.id,
        });
      }
      if (idempotencyKey) await recordIdempotentResponse(tx, principal.userId, idempotencyKey, 201, { adminCaseId: row.id });
      const [body] = await this.views.render(principal, [row], tx);
      return { status: 201, body };
    });
  }

  /**
   * An import: every row validated as a POST body; each valid row upserted on
   * (agency, caseNo) in its own transaction: new → created, identical → unchanged
   * (nothing written), changed → replaced and re-screened.
   */
  async import(principal: Principal, contentType: string | undefined, bytes: unknown): Promise<ImportReport> {
    this.mustRecord(principal);
    const rows = importRows(contentType, bytes);
    const report: ImportReport = { accepted: 0, created: 0, updated: 0, unchanged: 0, rejected: [] };
    const campaigns = new Map<string, boolean>();
    for (const row of rows) {
      const { dto, errors } = row.body ? validateRow(row.body) : { dto: undefined, errors: row.errors ?? [] };
      if (dto?.campaign) {
        if (!campaigns.has(dto.campaign)) {
          campaigns.set(dto.campaign, (await registeredCodes(this.db, [dto.campaign])).has(dto.campaign));
        }
        if (!campaigns.get(dto.campaign)) {
          report.rejected.push({ line: row.line, errors: [unknownCampaign(dto.campaign)] });
          continue;
        }
      }
      if (!dto) {
        report.rejected.push({ line: row.line, errors });
        continue;
      }
      report[await this.upsert(principal, contentOf(dto))]++;
      report.accepted++;
    }
    return report;
  }

  async get(principal: Principal, id: string, tx: EntityManager = this.db.manager): Promise<AdminCaseView> {
    const row = await readAdminCase(tx, visibleAdminCases(principal), id);
    const [view] = await this.views.render(principal, [row], tx);
    return view;
  }

  async list(principal: Principal, query: ListAdminCasesQuery): Promise<AdminCasePage> {
    const limit = query.limit ?? 20;
    const rows = await listAdminCases(
      this.db,
      visibleAdminCases(principal),
      {
        flag: query.flag,
        domain: query.domain,
        agencyId: query.agencyId,
        campaign: query.campaign,
        decidedFrom: query.decidedFrom,
        decidedTo: query.decidedTo,
        text: query.q || undefined,
      },
      decodeAdminCaseCursor(query.cursor, query.flag !== undefined),
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.views.render(principal, page),
      nextCursor: rows.length > limit ? encodeAdminCaseCursor(last, query.flag !== undefined) : null,
    };
  }

  private mustRecord(principal: Principal): void {
    if (!principal.roles.includes('agency-officer') || principal.agency.kind !== 'regulator') {
      throw forbidden('Only an agency officer of an administrative (regulatory) agency records administrative cases');
    }
  }

  private async insert(tx: EntityManager, principal: Principal, content: AdminCaseContent): Promise<AdminCaseRow | null> {
    const result = this.screening.screenCase(content, await this.screening.rules(tx));
    const at = this.clock.now();
    const row = await insertAdminCase(
      tx,
      {
        id: randomUUID(),
        agencyId: principal.agency.id,
        regionCode: principal.agency.regionCode,
        createdBy: principal.userId,
        at,
        suggestedCampaign: await this.suggestion(tx, principal, content),
      },
      content,
      screeningOf(result),
    );
    // Its parties are parties now: linked cases elsewhere are found, and their holders told.
    if (row) await this.parties.record(tx, { type: 'admin-case', id: row.id }, content.parties, at);
    return row;
  }

  private upsert(principal: Principal, content: AdminCaseContent): Promise<Outcome> {
    return this.db.transaction(async (tx) => {
      await this.screening.holdRulesSteady(tx);
      const existing = await lockOwnCaseByNumber(tx, visibleAdminCases(principal), content.caseNo);
      if (existing?.contentHash === content.contentHash) return 'unchanged';
      if (!existing && (await this.insert(tx, principal, content))) return 'created';
      // changed, or inserted meanwhile by a concurrent import: replace what is there now
      const current = existing ?? (await lockOwnCaseByNumber(tx, visibleAdminCases(principal), content.caseNo))!;
      if (current.contentHash === content.contentHash) return 'unchanged';
      const result = this.screening.screenCase(content, await this.screening.rules(tx));
      const suggested = await this.suggestion(tx, principal, content);
      await replaceAdminCase(tx, current.id, content, screeningOf(result), this.clock.now(), suggested);
      await this.parties.record(tx, { type: 'admin-case', id: current.id }, content.parties, this.clock.now(), true);
      return 'updated';
    });
  }

  /** Recorded without a campaign: the one running on its act date in its field and region (never set as its campaign). */
  private suggestion(tx: EntityManager, principal: Principal, content: AdminCaseContent): Promise<string | null> {
    if (content.campaign) return Promise.resolve(null);
    return suggestedCampaign(tx, { date: content.actDate, domain: content.domain, regionCode: principal.agency.regionCode });
  }
}
