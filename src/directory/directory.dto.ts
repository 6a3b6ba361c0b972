import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
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

export class CreateAgencyDto {
  @ApiProperty() @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9._-]+$/) code: string;
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: AGENCY_KINDS }) @IsIn(AGENCY_KINDS) kind: AgencyKind;
  @ApiProperty({ example: '330100' })
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a 6-digit administrative-division code' })
  regionCode: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() parentId?: string;
}

export class AgencyQueryDto {
  @ApiPropertyOptional({ enum: AGENCY_KINDS }) @IsOptional() @IsIn(AGENCY_KINDS) kind?: AgencyKind;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) regionCode?: string;
}

export class CreateUserDto {
  @ApiProperty() @IsString() @Length(3, 64) @Matches(/^[A-Za-z0-9._@-]+$/) username: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200) password: string;
  @ApiProperty() @IsString() @Length(1, 200) displayName: string;
  @ApiProperty() @IsUUID() agencyId: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class LoginDto {
  @ApiProperty() @IsString() @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
}
