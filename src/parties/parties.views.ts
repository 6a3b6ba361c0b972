// What the links and chain answers show (OpenAPI schemas): parties with masked
// identifiers, cases in the caller's scope as summaries, others as existence only.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PartyNode {
  @ApiProperty({ example: 'party:5d6e7f80-…', description: "the node's key in a chain's edges" }) key: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['person', 'organization'] }) kind: 'person' | 'organization';
  @ApiProperty({ example: 'Hangzhou Example Trading Co.', description: 'the name first stated for it' }) name: string;
  @ApiProperty({ description: 'known by a checked identifier (else by its normalised name only)' }) identified: boolean;
  @ApiProperty({ type: String, nullable: true, example: '9133************12', description: 'always masked here' })
  identifier: string | null;
}

export class AgencyBrief {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '330100' }) regionCode: string;
}

export class HoldingAgency {
  @ApiProperty({ example: 'Ningbo Public Security Bureau' }) name: string;
  @ApiProperty({ example: '330200' }) regionCode: string;
}

/**
 * A case in a links or chain answer. In the caller's scope: `inScope: true` and its
 * summary. Outside it: `inScope: false`, its type, the agency holding it and the
 * shared party's masked identifier, and nothing else.
 */
export class CaseNode {
  @ApiProperty({
    example: 'referral:5d6e7f80-…',
    description: "the node's key in this answer (hidden-<n> for a case outside scope)",
  })
  key: string;
  @ApiProperty({ enum: ['referral', 'admin-case'] }) type: 'referral' | 'admin-case';
  @ApiProperty() inScope: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ example: '330100-2026-000042', description: 'referrals in scope' }) referenceNo?: string;
  @ApiPropertyOptional({ description: 'administrative cases in scope' }) caseNo?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ example: 'under-review', description: 'referrals in scope' }) state?: string;
  @ApiPropertyOptional({ example: '330100' }) regionCode?: string;
  @ApiPropertyOptional({ type: AgencyBrief, description: 'referrals in scope' }) sourceAgency?: AgencyBrief;
  @ApiPropertyOptional({ type: AgencyBrief, description: 'referrals in scope: the police unit' }) targetAgency?: AgencyBrief;
  @ApiPropertyOptional({ type: AgencyBrief, description: 'administrative cases in scope: the recording agency' })
  agency?: AgencyBrief;
  @ApiPropertyOptional({
    type: HoldingAgency,
    description: 'outside scope: the police unit holding the referral, or the agency that recorded the case',
  })
  holdingAgency?: HoldingAgency;
  @ApiPropertyOptional({ type: String, nullable: true, description: "outside scope: the shared party's masked identifier" })
  sharedIdentifier?: string | null;
}

export class CaseLink {
  @ApiProperty({
    enum: ['confirmed', 'possible'],
    description: 'confirmed: the same checked identifier; possible: the same name',
  })
  match: 'confirmed' | 'possible';
  @ApiProperty({ format: 'uuid', description: "the referral's party that links it" }) partyId: string;
  @ApiProperty({ type: CaseNode }) case: CaseNode;
}

export class LinkedReferral {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() referenceNo: string;
}

export class LinksView {
  @ApiProperty({ type: LinkedReferral }) referral: LinkedReferral;
  @ApiProperty({ type: [PartyNode], description: 'the parties the referral states' }) parties: PartyNode[];
  @ApiProperty({ type: [CaseLink], description: 'every other case sharing one of them, in any agency and region' })
  links: CaseLink[];
}

export class ChainEdge {
  @ApiProperty({ example: 'party:…', description: 'a node key: party:<id>, or a case node key' }) source: string;
  @ApiProperty({ example: 'referral:…' }) target: string;
  @ApiProperty({ enum: ['confirmed', 'possible'] }) match: 'confirmed' | 'possible';
}

export class ChainGraph {
  @ApiProperty({ type: PartyNode, description: 'the party the chain starts from' }) party: PartyNode;
  @ApiProperty({ type: [PartyNode] }) parties: PartyNode[];
  @ApiProperty({ type: [CaseNode] }) cases: CaseNode[];
  @ApiProperty({ type: [ChainEdge], description: 'party → case (states it), party → party (same name: possible)' })
  edges: ChainEdge[];
}
