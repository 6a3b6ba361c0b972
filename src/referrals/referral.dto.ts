import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const DOMAINS = [
  'food',
  'drug',
  'medical-device',
  'cosmetics',
  'environment',
  'intellectual-property',
  'wildlife',
  'agriculture',
  'other',
] as const;

export class SuspectDto {
  @ApiProperty({ enum: ['person', 'organization'] }) @IsIn(['person', 'organization']) kind: 'person' | 'organization';
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z]{6,30}$/, { message: 'idNumber must be 6-30 letters or digits' })
  idNumber?: string;
}

export class CreateReferralDto {
  @ApiProperty() @IsUUID() targetAgencyId: string;
  @ApiProperty({ enum: DOMAINS }) @IsIn(DOMAINS) domain: string;
  @ApiProperty() @IsString() @Length(1, 300) title: string;
  @ApiProperty() @IsString() @Length(1, 20000) summary: string;
  @ApiProperty({ type: [SuspectDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SuspectDto)
  suspects: SuspectDto[];
  @ApiPropertyOptional({ example: '182000.00', description: 'CNY as a decimal string' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,14}(\.\d{1,2})?$/, { message: 'amountInvolved must be a decimal string such as "182000.00"' })
  amountInvolved?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 1000) offence?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) legalBasis?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'campaign must be a lowercase slug such as kunlun-2026' })
  campaign?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) externalRef?: string;
}

export class ListReferralsQuery {
  @IsOptional() @IsString() @Length(1, 64) state?: string;
  @IsOptional() @IsIn(DOMAINS) domain?: string;
  @IsOptional() @IsIn(['incoming', 'outgoing']) direction?: 'incoming' | 'outgoing';
  @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
  @IsOptional() @IsString() @Length(1, 64) campaign?: string;
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @IsString() @Length(1, 200) cursor?: string;
}
