import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDateString } from 'class-validator';
import { RequireRoles } from '../auth/principal';
import { validationFailed } from '../common/problem';
import { CalendarsService } from './calendars.service';

export class CalendarYearDto {
  @IsArray() @ArrayMaxSize(366) @IsDateString({ strict: true }, { each: true }) holidays: string[];
  @IsArray() @ArrayMaxSize(366) @IsDateString({ strict: true }, { each: true }) workdays: string[];
}

const year = new ParseIntPipe({
  exceptionFactory: () => validationFailed([{ field: 'year', message: 'year must be a number such as 2027' }]),
});

function checkYear(y: number): number {
  if (y < 2000 || y > 2100) throw validationFailed([{ field: 'year', message: 'year must be between 2000 and 2100' }]);
  return y;
}

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/v1/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get(':year')
  get(@Param('year', year) y: number) {
    return this.calendars.getYear(checkYear(y));
  }

  /** Replaces the year; pending deadlines are recomputed in the same transaction. */
  @Put(':year')
  @RequireRoles('admin')
  async put(@Param('year', year) y: number, @Body() dto: CalendarYearDto) {
    const { calendar, recomputed } = await this.calendars.replaceYear({
      year: checkYear(y),
      holidays: [...new Set(dto.holidays)].sort(),
      workdays: [...new Set(dto.workdays)].sort(),
    });
    return { ...calendar, recomputedDeadlines: recomputed };
  }
}
