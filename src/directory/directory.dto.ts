import { CursorField, LimitField } from '../common/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '../../workflows/referral/referral.types';
import { AGENCY_KINDS, type AgencyKind } from './agency.entity';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export class CreateAgencyDto {
  @ApiProperty({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', example: 'hz-amr', description: 'unique' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/)
  code: string;
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Hangzhou Market Regulation' })
  @IsString()
  @Length(1, 200)
  name: string;
  @ApiProperty({ enum: AGENCY_KINDS }) @IsIn(AGENCY_KINDS) kind: AgencyKind;
  @ApiProperty({ example: '330100', pattern: '^[0-9]{6}$', description: '6-digit administrative-division code' })
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a 6-digit administrative-division code' })
  regionCode: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentId?: string;
}

export class AgencyQueryDto {
  @ApiPropertyOptional({ enum: AGENCY_KINDS }) @IsOptional() @IsIn(AGENCY_KINDS) kind?: AgencyKind;
  @ApiPropertyOptional({ pattern: '^[0-9]{6}$', example: '330100', description: 'exact region code' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/)
  regionCode?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) active?: 'true' | 'false';
}

/** Changing the name or `active` of an agency ends nobody's tokens: neither is part of a principal. */
export class UpdateAgencyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ description: 'false: no new users or API keys join the agency' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

const rolesProperty = {
  enum: ROLES,
  isArray: true,
  minItems: 1,
  maxItems: ROLES.length,
  uniqueItems: true,
  description: 'must fit the agency kind',
};

export class CreateUserDto {
  @ApiProperty({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$', example: 'zhang.wei', description: 'unique' })
  @IsString()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9._@-]+$/)
  username: string;
  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password: string;
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Zhang Wei' }) @IsString() @Length(1, 200) displayName: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() agencyId: string;
  @ApiProperty(rolesProperty)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

/** Changing roles, agency or `active` ends every token of the user. */
export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) displayName?: string;
  @ApiPropertyOptional(rolesProperty)
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ format: 'uuid', description: 'move the user to this agency; its roles must fit its kind' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
  @ApiPropertyOptional({ description: 'false: the user can no longer log in, and its tokens and API key stop working' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  newPassword: string;
}

export class UserQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ enum: ROLES, description: 'users holding this role' }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) active?: 'true' | 'false';

  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

export class LoginDto {
  @ApiProperty({ maxLength: 64, example: 'admin' }) @IsString() @MaxLength(64) username: string;
  @ApiProperty({ maxLength: PASSWORD_MAX, format: 'password' }) @IsString() @MaxLength(PASSWORD_MAX) password: string;
}
