import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from '../../workflows/referral/referral.types';

// A system client works cases; it never administers: an admin key could mint more keys.
export const API_KEY_ROLES = ROLES.filter((r) => r !== 'admin');

export class CreateApiKeyDto {
  @ApiProperty({ example: 'hz-amr case system', minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({
    enum: API_KEY_ROLES,
    isArray: true,
    minItems: 1,
    maxItems: API_KEY_ROLES.length,
    uniqueItems: true,
    example: ['agency-officer'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "the agency the key acts for; default: the creating admin's agency. The roles must fit its kind.",
  })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

/** An API key as listings show it: never the key itself. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hz-amr case system' }) name: string;
  @ApiProperty({ example: 'clk_Ab3dE5gH', description: 'the first characters of the key, to tell keys apart' })
  keyPrefix: string;
  @ApiProperty({ enum: API_KEY_ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ format: 'uuid', description: 'the user the key acts as (timeline, idempotency keys)' }) userId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the admin who created it' })
  createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'updated at most once a minute' })
  lastUsedAt: string | null;
}

/** The answer of POST /api-keys: the only time the key is shown. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'clk_Ab3dE5gHk2LmN0pQ7rS9tU1vW3xY5zA8bC0dE2fG4hJ',
    pattern: '^clk_[A-Za-z0-9_-]{43}$',
    description: 'send as X-Api-Key; shown once',
  })
  key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}
