// Links between instances of the procedures (API: `links` on every instance): the
// instance this one came from, and those started from it. One the caller may not
// see is shown as a link only (its workflow and number), never its state.
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { visibleReferrals } from '../auth/scope';
import { linkedInstances, type ReferralRow } from '../referrals/referrals.repository';

export class InstanceLinkView {
  @ApiProperty({
    enum: ['origin', 'follow-up'],
    description: 'origin: this instance came from it; follow-up: started from this one',
  })
  relation: 'origin' | 'follow-up';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'transfer-recommendation', description: 'a workflow name of GET /api/v1/workflows' }) workflow: string;
  @ApiProperty({ example: 'JY-330100-2026-000007' }) referenceNo: string;
  @ApiProperty({ description: 'the caller may read it; otherwise state and outcome are null' }) visible: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'transferred' }) state: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'transferred' }) outcome: string | null;
}

/** The links of each row, by row id, in one query. */
export async function linksOf(
  tx: EntityManager,
  principal: Principal,
  rows: ReferralRow[],
): Promise<Map<string, InstanceLinkView[]>> {
  const ids = rows.map((r) => r.id);
  const origins = rows.flatMap((r) => (r.originId ? [r.originId] : []));
  const linked = await linkedInstances(tx, visibleReferrals(principal), ids, origins);
  const view = (l: (typeof linked)[number], relation: InstanceLinkView['relation']): InstanceLinkView => ({
    relation,
    id: l.id,
    workflow: l.workflow,
    referenceNo: l.referenceNo,
    visible: l.visible,
    state: l.visible ? l.state : null,
    outcome: l.visible ? l.outcome : null,
  });
  return new Map(
    rows.map((r) => [
      r.id,
      [
        ...linked.filter((l) => l.id === r.originId).map((l) => view(l, 'origin')),
        ...linked.filter((l) => l.originId === r.id).map((l) => view(l, 'follow-up')),
      ],
    ]),
  );
}
