import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequireRoles } from '../auth/principal';
import { Clock } from '../common/clock';
import { validationFailed } from '../common/problem';
import { TestClockService } from './test-clock.service';

export class AdvanceClockDto {
  @IsOptional() @IsInt() @Min(0) @Max(24 * 3650) hours?: number;
  @IsOptional() @IsInt() @Min(0) @Max(3650) days?: number;
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
  now() {
    return { now: this.clock.now().toISOString() };
  }

  @Post('advance')
  @HttpCode(200)
  @RequireRoles('admin')
  async advance(@Body() dto: AdvanceClockDto) {
    const ms = ((dto.days ?? 0) * 24 + (dto.hours ?? 0)) * 3_600_000;
    if (ms <= 0) throw validationFailed([{ field: 'hours', message: 'give hours or days greater than 0' }]);
    return { now: (await this.testClock.advance(ms)).toISOString() };
  }
}
