// What the directory answers, and the same shapes as OpenAPI schema classes.
import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../workflows/referral/referral.types';
import { AGENCY_KINDS, type Agency } from './agency.entity';
import type { User } from './user.entity';

export interface AgencyView {
  id: string;
  code: string;
  name: string;
  kind: Agency['kind'];
  regionCode: string;
  parentId: string | null;
}

export const agencyView = (a: Agency): AgencyView => ({
  id: a.id,
  code: a.code,
  name: a.name,
  kind: a.kind,
  regionCode: a.regionCode,
  parentId: a.parentId ?? null,
});

/** An agency as the directory answers it: with `active` (the agency embedded in users and referrals has none). */
export const directoryAgencyView = (a: Agency): AgencyView & { active: boolean } => ({ ...agencyView(a), active: a.active });

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  agency: AgencyView;
}

export const userView = (u: User): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  active: u.active,
  agency: agencyView(u.agency),
});

export class AgencyDto implements AgencyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hz-amr' }) code: string;
  @ApiProperty({ example: 'Hangzhou Market Regulation' }) name: string;
  @ApiProperty({ enum: AGENCY_KINDS }) kind: Agency['kind'];
  @ApiProperty({ example: '330100', pattern: '^[0-9]{6}$' }) regionCode: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
}

export class DirectoryAgencyDto extends AgencyDto {
  @ApiProperty({ description: 'false: deactivated; takes no new users or API keys' }) active: boolean;
}

export class AgencyListDto {
  @ApiProperty({ type: [DirectoryAgencyDto] }) items: DirectoryAgencyDto[];
}

export class UserDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'zhang.wei' }) username: string;
  @ApiProperty({ example: 'Zhang Wei' }) displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ description: 'false: deactivated; cannot log in' }) active: boolean;
  @ApiProperty({ type: AgencyDto }) agency: AgencyDto;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last page' })
  nextCursor: string | null;
}
