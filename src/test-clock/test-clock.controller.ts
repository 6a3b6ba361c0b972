import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequireRoles } from '../auth/principal';
import { Clock } from '../common/clock';
import { ApiProblems } from '../common/openapi';
import { validationFailed } from '../common/problem';
import { TestClockService } from './test-clock.service';

export class AdvanceClockDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 24 * 3650, example: 24 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 3650)
  hours?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3650, example: 3 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  days?: number;
}

export class ClockNow {
  @ApiProperty({ format: 'date-time' }) now: string;
}

/** Mounted only when CLOCK_MODE=controllable; otherwise these paths are 404. */
@ApiTags('test-clock')
@ApiBearerAuth()
@Controller('api/v1/test-clock')
export class TestClockController {
  constructor(
    private readonly testClock: TestClockService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: "The service's current time (only with CLOCK_MODE=controllable)" })
  @ApiOkResponse({ type: ClockNow })
  now(): ClockNow {
    return { now: this.clock.now().toISOString() };
  }

  @Post('advance')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Move the clock forward; every deadline now due fires (only with CLOCK_MODE=controllable)' })
  @ApiOkResponse({ type: ClockNow })
  @ApiProblems(400)
  async advance(@Body() dto: AdvanceClockDto): Promise<ClockNow> {
    const ms = ((dto.days ?? 0) * 24 + (dto.hours ?? 0)) * 3_600_000;
    if (ms <= 0) throw validationFailed([{ field: 'hours', message: 'give hours or days greater than 0' }]);
    return { now: (await this.testClock.advance(ms)).toISOString() };
  }
}
