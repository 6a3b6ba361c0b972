import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from '../../workflows/referral/referral.types';

// A system client works cases; it never administers: an admin key could mint more keys.
export const API_KEY_ROLES = ROLES.filter((r) => r !== 'admin');

export class CreateApiKeyDto {
  @ApiProperty({ example: 'hz-amr case system' }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({ enum: API_KEY_ROLES, isArray: true, example: ['agency-officer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({
    description: "the agency the key acts for; default: the creating admin's agency. The roles must fit its kind.",
  })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}
