// The referral as API.md shows it: agencies expanded, deadlines and tasks
// attached, allowedEvents for this caller, suspect IDs masked for non-parties.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { transferPackageOf, type TransferPackage } from '../attachments/attachment-kinds';
import type { Principal } from '../auth/principal';
import { seesSuspectIds } from '../auth/scope';
import { maskIdNumber } from '../common/mask';
import { agencyView, type AgencyView } from '../directory/directory.views';
import { Agency } from '../directory/agency.entity';
import { WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import type { Suspect } from './suspect';

export interface ReferralView {
  id: string;
  referenceNo: string;
  state: string;
  stateDetail: string;
  outcome: string | null;
  version: number;
  domain: string;
  title: string;
  summary: string;
  suspects: Suspect[];
  amountInvolved: string | null;
  offence: string | null;
  legalBasis: string | null;
  campaign: string | null;
  externalRef: string | null;
  sourceAgency: AgencyView;
  targetAgency: AgencyView;
  regionCode: string;
  flags: string[];
  deadlines: DeadlineView[];
  rectificationTasks: TaskView[];
  /** Which documents of the agency's transfer package are attached (DOMAIN.md "Documents"). */
  transferPackage: TransferPackage;
  allowedEvents: string[];
  createdAt: string;
  updatedAt: string;
}

interface DeadlineView {
  id: string;
  kind: string;
  dueAt: string;
  status: string;
  responsibleAgencyId: string;
  legalBasis: string;
  taskId: string | null;
  calendarIncomplete: boolean;
  /** Counted on the provisional calendar of a year not yet published; recomputed when an admin loads it. */
  provisional: boolean;
  escalationLevel: number;
}

interface TaskView {
  id: string;
  agencyId: string;
  description: string;
  dueAt: string;
  status: string;
}

export function maskSuspects(suspects: Suspect[]): Suspect[] {
  return suspects.map((s) => (s.idNumber ? { ...s, idNumber: maskIdNumber(s.idNumber) } : s));
}

@Injectable()
export class ReferralViews {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Renders raw `referrals` rows (already scope-checked) with one query per related table, not per row. */
  async render(principal: Principal, rows: Record<string, any>[], tx: EntityManager = this.db.manager): Promise<ReferralView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const agencyIds = [...new Set(rows.flatMap((r) => [r.source_agency_id, r.target_agency_id]))];
    // One after the other: inside a transaction they share one connection.
    const agencies = await tx.getRepository(Agency).findBy({ id: In(agencyIds) });
    const deadlines = await tx.query(
      `SELECT * FROM deadlines WHERE referral_id = ANY($1) AND status <> 'cancelled' ORDER BY due_at, kind`,
      [ids],
    );
    const tasks = await tx.query(`SELECT * FROM rectification_tasks WHERE referral_id = ANY($1) ORDER BY created_at, id`, [ids]);
    const documents: { referral_id: string; kind: string }[] = await tx.query(
      `SELECT DISTINCT referral_id, kind FROM attachments WHERE referral_id = ANY($1)`,
      [ids],
    );
    const agencyById = new Map(agencies.map((a) => [a.id, agencyView(a)]));
    return rows.map((r) => {
      const scoped = { sourceAgencyId: r.source_agency_id, targetAgencyId: r.target_agency_id, regionCode: r.region_code };
      const myTasks = tasks.filter((t: any) => t.referral_id === r.id);
      return {
        id: r.id,
        referenceNo: r.reference_no,
        state: r.state,
        stateDetail: r.state_detail,
        outcome: r.outcome,
        version: r.version,
        domain: r.domain,
        title: r.title,
        summary: r.summary,
        suspects: seesSuspectIds(principal, scoped) ? r.suspects : maskSuspects(r.suspects),
        amountInvolved: r.amount_involved,
        offence: r.offence,
        legalBasis: r.legal_basis,
        campaign: r.campaign,
        externalRef: r.external_ref,
        sourceAgency: agencyById.get(r.source_agency_id)!,
        targetAgency: agencyById.get(r.target_agency_id)!,
        regionCode: r.region_code,
        flags: r.flags,
        deadlines: deadlines
          .filter((d: any) => d.referral_id === r.id)
          .map((d: any) => ({
            id: d.id,
            kind: d.kind,
            dueAt: d.due_at.toISOString(),
            status: d.status,
            responsibleAgencyId: d.responsible_agency_id,
            legalBasis: d.legal_basis,
            taskId: d.task_id,
            calendarIncomplete: d.calendar_incomplete,
            provisional: d.provisional,
            escalationLevel: d.escalation_level,
          })),
        rectificationTasks: myTasks.map((t: any) => ({
          id: t.id,
          agencyId: t.agency_id,
          description: t.description,
          dueAt: t.due_at.toISOString(),
          status: t.status,
        })),
        transferPackage: transferPackageOf(documents.filter((d) => d.referral_id === r.id).map((d) => d.kind)),
        allowedEvents: this.engine.allowedEventsFor(
          principal,
          { ...scoped, id: r.id, version: r.version, machine_version: r.machine_version, snapshot: r.snapshot, state: r.state },
          [...new Set<string>(myTasks.map((t: any) => t.agency_id))],
        ),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }
}
