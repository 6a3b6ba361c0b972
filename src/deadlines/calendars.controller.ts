import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDateString } from 'class-validator';
import { RequireRoles } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
import { validationFailed } from '../common/problem';
import { CalendarsService } from './calendars.service';

const dates = (description: string) =>
  ApiProperty({ type: [String], format: 'date', maxItems: 366, example: ['2027-01-01'], description });

export class CalendarYearDto {
  @dates('rest days that fall on weekdays, as YYYY-MM-DD of the year')
  @IsArray()
  @ArrayMaxSize(366)
  @IsDateString({ strict: true }, { each: true })
  holidays: string[];

  @dates('working days that fall on weekends (adjusted working days), as YYYY-MM-DD of the year')
  @IsArray()
  @ArrayMaxSize(366)
  @IsDateString({ strict: true }, { each: true })
  workdays: string[];
}

export class CalendarYearView {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ type: [String], format: 'date', example: ['2027-01-01'], description: 'rest days on weekdays' })
  holidays: string[];
  @ApiProperty({ type: [String], format: 'date', example: ['2027-02-07'], description: 'working days on weekends' })
  workdays: string[];
}

export class CalendarReplaced extends CalendarYearView {
  @ApiProperty({ example: 3, description: 'pending deadlines whose due time or provisional mark changed' })
  recomputedDeadlines: number;
}

const year = new ParseIntPipe({
  exceptionFactory: () => validationFailed([{ field: 'year', message: 'year must be a number such as 2027' }]),
});
const YEAR = { name: 'year', schema: { type: 'integer' as const, minimum: 2000, maximum: 2100, example: 2027 } };

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
  @ApiOperation({ summary: "A year's holiday calendar (empty lists when not loaded: weekends only)" })
  @ApiParam(YEAR)
  @ApiOkResponse({ type: CalendarYearView })
  @ApiProblems(400)
  get(@Param('year', year) y: number) {
    return this.calendars.getYear(checkYear(y));
  }

  /** Replaces the year; pending deadlines are recomputed in the same transaction. */
  @Put(':year')
  @RequireRoles('admin')
  @ApiOperation({ summary: "Replace a year's holiday calendar; pending deadlines are recomputed" })
  @ApiParam(YEAR)
  @ApiOkResponse({ type: CalendarReplaced })
  @ApiProblems(400)
  async put(@Param('year', year) y: number, @Body() dto: CalendarYearDto): Promise<CalendarReplaced> {
    const { calendar, recomputed } = await this.calendars.replaceYear({
      year: checkYear(y),
      holidays: [...new Set(dto.holidays)].sort(),
      workdays: [...new Set(dto.workdays)].sort(),
    });
    return { ...calendar, recomputedDeadlines: recomputed };
  }
}
