// Screening rules in the database and administrative cases screened against them.
// A rule change (a PUT, or a shipped version loaded at boot) re-screens the cases it
// can affect in the same transaction, under an exclusive advisory lock; case writes
// take the same lock shared, so none is screened on rules a committing change replaces.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { localDate } from '../../workflows/period-counting';
import { conditionErrors } from '../../workflows/screening/condition-check';
import { rulesInForce, screen } from '../../workflows/screening/screen';
import type { ScreeningResult, ScreeningRule } from '../../workflows/screening/screening.types';
import { SHIPPED_RULES } from '../../workflows/screening/shipped-rules';
import {
  lockCasesActedBetween,
  writeScreenings,
  type AdminCaseContent,
  type Screening,
} from '../admin-cases/admin-cases.repository';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { DomainException, validationFailed } from '../common/problem';
import type { Queryable } from '../common/sql-params';
import { AppConfig } from '../config/app-config';
import { AdvisoryLock } from '../database/advisory-locks';
import { PutScreeningRuleDto, RULE_CODE, type ScreeningRuleChange, type ScreeningRuleView } from './screening.dto';
import { insertRuleVersion, ruleVersions, type RuleVersionRow } from './screening-rules.repository';

// Re-screening reads and writes the affected cases in batches of this many rows: memory
// stays bounded whatever the number of cases; the time grows with it (see docs/api.md).
const RESCREEN_BATCH = 500;

@Injectable()
export class ScreeningService {
  private readonly logger = new Logger('Screening');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Taken first by every transaction that writes a case's screening (shared: writers of cases do not wait for each other). */
  async holdRulesSteady(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [AdvisoryLock.ScreeningRules]);
  }

  /** Every stored rule version. */
  rules(q: Queryable): Promise<ScreeningRule[]> {
    return ruleVersions(q);
  }

  /** A case's screening on `rules`: the rules in force on its act date. */
  screenCase(content: AdminCaseContent, rules: ScreeningRule[]): ScreeningResult {
    return screen({ domain: content.domain, facts: content.facts, priorPenalties: content.priorPenalties }, rules, {
      actDate: content.actDate,
      nearRatio: this.config.SCREENING_NEAR_RATIO,
    });
  }

  /** At boot: the shipped versions missing from the database are added, and the cases they affect re-screened. */
  async loadShippedRules(): Promise<number> {
    const known = new Set((await ruleVersions(this.db)).map((r) => `${r.code}@${r.version}`));
    const missing = SHIPPED_RULES.filter((r) => !known.has(`${r.code}@${r.version}`));
    if (missing.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.ScreeningRules]);
      let rescreened = 0;
      for (const rule of missing) {
        // Another replica booting at once may have added it: then it is not ours to re-screen for.
        if (await insertRuleVersion(tx, rule, 'shipped', null)) rescreened += await this.rescreenAffected(tx, rule);
      }
      this.logger.log(`shipped screening rules loaded: ${missing.length}; cases re-screened: ${rescreened}`);
      return rescreened;
    });
  }

  async list(asOf?: string): Promise<{ items: ScreeningRuleView[] }> {
    const all = await ruleVersions(this.db);
    const inForceToday = new Set(rulesInForce(all, this.today()).map((r) => `${r.code}@${r.version}`));
    const shown = asOf ? rulesInForce(all, asOf) : all;
    const byKey = new Map(all.map((r) => [`${r.code}@${r.version}`, r]));
    return {
      items: shown.map((r) => this.view(byKey.get(`${r.code}@${r.version}`)!, inForceToday.has(`${r.code}@${r.version}`))),
    };
  }

  /** Adds the next version of `code` (admin); If-Match, when sent, must name the latest version. */
  async addVersion(principal: Principal, code: string, dto: PutScreeningRuleDto, ifMatch?: number): Promise<ScreeningRuleChange> {
    if (!RULE_CODE.test(code))
      throw validationFailed([{ field: 'code', message: 'code must be a lowercase slug of 1-64 characters' }]);
    const errors = conditionErrors(dto.condition);
    if (dto.effectiveTo && dto.effectiveTo < dto.effectiveFrom) {
      errors.push({ field: 'effectiveTo', message: 'effectiveTo must not be before effectiveFrom' });
    }
    if (errors.length > 0) throw validationFailed(errors);
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.ScreeningRules]);
      const versions = await ruleVersions(tx, code);
      const latest = versions.length > 0 ? versions[versions.length - 1].version : 0;
      if (ifMatch !== undefined && ifMatch !== latest) {
        throw new DomainException('VERSION_CONFLICT', `The latest version of ${code} is ${latest}`, { currentVersion: latest });
      }
      const rule: ScreeningRule = {
        code,
        version: latest + 1,
        offence: dto.offence,
        legalBasis: dto.legalBasis,
        domain: dto.domain ?? null,
        effectiveFrom: dto.effectiveFrom,
        effectiveTo: dto.effectiveTo ?? null,
        condition: dto.condition,
      };
      await insertRuleVersion(tx, rule, 'admin', principal.userId);
      const rescreened = await this.rescreenAffected(tx, rule);
      const stored = (await ruleVersions(tx, code)).find((r) => r.version === rule.version)!;
      const inForce = rulesInForce(await ruleVersions(tx), this.today()).some(
        (r) => r.code === code && r.version === rule.version,
      );
      return { rule: this.view(stored, inForce), rescreened };
    });
  }

  /**
   * Re-screens, on every stored version, the cases `rule` can change: of its domain (all
   * for a rule of every domain, or when versions of its code differ in domain) with an act
   * date in its window. Returns how many changed.
   */
  private async rescreenAffected(tx: EntityManager, rule: ScreeningRule): Promise<number> {
    const rules = await ruleVersions(tx);
    // A version for another domain than the one it supersedes moves cases of both: then every domain.
    const sameDomain = rules.filter((r) => r.code === rule.code).every((r) => r.domain === rule.domain);
    const window = { domain: sameDomain ? rule.domain : null, from: rule.effectiveFrom, to: rule.effectiveTo };
    const at = this.clock.now();
    let changed = 0;
    let afterId: string | null = null;
    for (;;) {
      const batch = await lockCasesActedBetween(tx, window, afterId, RESCREEN_BATCH);
      if (batch.length === 0) return changed;
      const screenings: (Screening & { id: string })[] = batch.map((c) => ({
        id: c.id,
        ...screeningOf(this.screenCase(c, rules)),
      }));
      changed += await writeScreenings(tx, screenings, at);
      afterId = batch[batch.length - 1].id;
    }
  }

  private today(): string {
    return localDate(this.clock.now(), this.config.APP_TIMEZONE);
  }

  private view(r: RuleVersionRow, inForce: boolean): ScreeningRuleView {
    return {
      code: r.code,
      version: r.version,
      offence: r.offence,
      legalBasis: r.legalBasis,
      domain: r.domain,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      condition: r.condition,
      source: r.source,
      inForce,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

/** The columns a screening result is stored in. */
export const screeningOf = (r: ScreeningResult): Screening => ({ flag: r.flag, severity: r.severity, reasons: r.reasons });
