// OpenAPI for controllers whose files belong to modules being reworked in
// parallel (auth, directory, calendars, test clock, metrics). Each decorator is
// applied only where the owner has not documented the operation or DTO
// himself, so this file turns into a no-op as those controllers gain their own
// decorators; then delete the entry (and, at the end, the file).
import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiCreatedResponse,
  ApiNoContentResponse,
} from '@nestjs/swagger';
import { AuthController } from '../auth/auth.controller';
import { ApiProblems } from '../common/openapi';
import { CalendarsController, CalendarYearDto } from '../deadlines/calendars.controller';
import { ApiKeysController } from '../directory/api-keys.controller';
import { API_KEY_ROLES } from '../directory/api-keys.dto';
import type { ApiKeyView } from '../directory/api-keys.service';
import { DirectoryController } from '../directory/directory.controller';
import { ROLES, type Role } from '../../workflows/referral/referral.types';
import { MetricsController } from '../ops/metrics.controller';
import { AgencyDto } from '../referrals/agency.dto';
import { AdvanceClockDto, TestClockController } from '../test-clock/test-clock.controller';

// ---- response bodies

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'officer' }) username: string;
  @ApiProperty({ example: '王芳' }) displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['agency-officer'] }) roles: Role[];
  @ApiProperty({ type: AgencyDto }) agency: AgencyDto;
}

export class LoginResult {
  @ApiProperty({ description: 'a signed JWT; send it as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600, description: 'seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}

export class AgencyList {
  @ApiProperty({ type: [AgencyDto] }) items: AgencyDto[];
}

export class ApiKeyDto implements ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hz-amr case system' }) name: string;
  @ApiProperty({ example: 'ck_3f0c1d2e', description: 'the first characters of the key, to recognise it' }) keyPrefix: string;
  @ApiProperty({ enum: API_KEY_ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ format: 'uuid', description: 'the service user the key acts as' }) userId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
}

export class CreatedApiKey extends ApiKeyDto {
  @ApiProperty({ description: 'the key itself, shown here once; send it as X-Api-Key' }) key: string;
}

export class ApiKeyList {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}

export class CalendarYearView {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ type: [String], format: 'date', example: ['2027-01-01'], description: 'rest days on weekdays' })
  holidays: string[];
  @ApiProperty({ type: [String], format: 'date', example: ['2027-02-07'], description: 'working days on weekends' })
  workdays: string[];
}

export class CalendarReplaced extends CalendarYearView {
  @ApiProperty({ example: 3, description: 'pending deadlines whose due time changed' }) recomputedDeadlines: number;
}

export class ClockNow {
  @ApiProperty({ format: 'date-time' }) now: string;
}

// ---- applying them where the owner has not

// @nestjs/swagger's metadata keys (its constants module is not exported)
const API_OPERATION = 'swagger/apiOperation';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';

type Controller = { prototype: object; name: string };

function documentOperation(controller: Controller, method: string, ...decorators: MethodDecorator[]): void {
  const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, method);
  if (!descriptor) return; // renamed by its owner: lint:api then reports the operation without a summary
  if (Reflect.hasMetadata(API_OPERATION, descriptor.value)) return; // documented by its owner
  applyDecorators(...decorators)(controller.prototype, method, descriptor);
  Object.defineProperty(controller.prototype, method, descriptor);
}

function documentProperties(dto: Controller, properties: Record<string, PropertyDecorator>): void {
  if (Reflect.hasMetadata(API_MODEL_PROPERTIES_ARRAY, dto.prototype)) return; // documented by its owner
  for (const [name, decorate] of Object.entries(properties)) decorate(dto.prototype, name);
}

const YEAR = { name: 'year', schema: { type: 'integer' as const, minimum: 2000, maximum: 2100, example: 2027 } };

const dates = (description: string) =>
  ApiProperty({ type: [String], format: 'date', maxItems: 366, example: ['2027-01-01'], description });

documentOperation(
  AuthController,
  'login',
  ApiOperation({ summary: 'Log in with username and password' }),
  ApiOkResponse({ type: LoginResult }),
  ApiProblems(400, 401, 429),
);
documentOperation(AuthController, 'me', ApiOperation({ summary: 'The calling user' }), ApiOkResponse({ type: UserView }));

documentOperation(
  DirectoryController,
  'createAgency',
  ApiOperation({ summary: 'Create an agency' }),
  ApiCreatedResponse({ type: AgencyDto }),
  ApiProblems(400, 409),
);
documentOperation(
  DirectoryController,
  'listAgencies',
  ApiOperation({ summary: 'List agencies (any authenticated user: needed to pick a target)' }),
  ApiOkResponse({ type: AgencyList }),
  ApiProblems(400),
);
documentOperation(
  DirectoryController,
  'createUser',
  ApiOperation({ summary: 'Create a user' }),
  ApiCreatedResponse({ type: UserView }),
  ApiProblems(400, 409),
);

documentOperation(
  ApiKeysController,
  'create',
  ApiOperation({ summary: 'Create an API key (the key is shown once)' }),
  ApiCreatedResponse({ type: CreatedApiKey }),
  ApiProblems(400),
);
documentOperation(
  ApiKeysController,
  'list',
  ApiOperation({ summary: 'List API keys (never the keys themselves)' }),
  ApiOkResponse({ type: ApiKeyList }),
);
documentOperation(
  ApiKeysController,
  'revoke',
  ApiOperation({ summary: 'Revoke an API key' }),
  ApiParam({ name: 'id', format: 'uuid' }),
  ApiNoContentResponse({ description: 'revoked; the key stops working' }),
  ApiProblems(404),
);

documentProperties(CalendarYearDto, {
  holidays: dates('rest days that fall on weekdays, as YYYY-MM-DD of the year'),
  workdays: dates('working days that fall on weekends (adjusted working days), as YYYY-MM-DD of the year'),
});
documentOperation(
  CalendarsController,
  'get',
  ApiOperation({ summary: "A year's holiday calendar (empty lists when not loaded: weekends only)" }),
  ApiParam(YEAR),
  ApiOkResponse({ type: CalendarYearView }),
  ApiProblems(400),
);
documentOperation(
  CalendarsController,
  'put',
  ApiOperation({ summary: "Replace a year's holiday calendar; pending deadlines are recomputed" }),
  ApiParam(YEAR),
  ApiBody({ type: CalendarYearDto }),
  ApiOkResponse({ type: CalendarReplaced }),
  ApiProblems(400),
);

documentProperties(AdvanceClockDto, {
  hours: ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 24 * 3650, example: 24 }),
  days: ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3650, example: 3 }),
});
documentOperation(
  TestClockController,
  'now',
  ApiOperation({ summary: "The service's current time (only with CLOCK_MODE=controllable)" }),
  ApiOkResponse({ type: ClockNow }),
);
documentOperation(
  TestClockController,
  'advance',
  ApiOperation({ summary: 'Move the clock forward; every deadline now due fires (only with CLOCK_MODE=controllable)' }),
  ApiOkResponse({ type: ClockNow }),
  ApiProblems(400),
);

documentOperation(
  MetricsController,
  'scrape',
  ApiOperation({ summary: 'Prometheus metrics' }),
  ApiProduces('text/plain'),
  ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string', example: 'caselink_transitions_total{event="ACKNOWLEDGE"} 3' } } },
  }),
);
