// OpenAPI for controllers whose files belong to modules being reworked in
// parallel (calendars, test clock, metrics). Each decorator is
// applied only where the owner has not documented the operation or DTO
// himself, so this file turns into a no-op as those controllers gain their own
// decorators; then delete the entry (and, at the end, the file).
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi';
import { CalendarsController, CalendarYearDto } from '../deadlines/calendars.controller';
import { MetricsController } from '../ops/metrics.controller';
import { AdvanceClockDto, TestClockController } from '../test-clock/test-clock.controller';

// ---- response bodies

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
