// The agency as it appears inside referrals and supervision views. It mirrors
// directory.views.ts' AgencyView (`implements` makes the compiler hold the two
// together) because src/directory/ is being reworked in parallel.
import { ApiProperty } from '@nestjs/swagger';
import { AGENCY_KINDS, type AgencyKind } from '../directory/agency.entity';
import type { AgencyView } from '../directory/directory.views';

export class AgencyDto implements AgencyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hz-psb' }) code: string;
  @ApiProperty({ example: 'Hangzhou Public Security Bureau' }) name: string;
  @ApiProperty({ enum: AGENCY_KINDS, example: 'police' }) kind: AgencyKind;
  @ApiProperty({ example: '330100', pattern: '^[0-9]{6}$' }) regionCode: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
}
