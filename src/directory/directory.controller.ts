import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/principal';
import { AgencyQueryDto, CreateAgencyDto, CreateUserDto } from './directory.dto';
import { DirectoryService } from './directory.service';
import { agencyView, userView } from './directory.views';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/v1')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('agencies')
  @HttpCode(201)
  @RequireRoles('admin')
  async createAgency(@Body() dto: CreateAgencyDto) {
    return agencyView(await this.directory.createAgency(dto));
  }

  // Any authenticated user: needed to pick a target.
  @Get('agencies')
  async listAgencies(@Query() query: AgencyQueryDto) {
    return { items: (await this.directory.listAgencies(query)).map(agencyView) };
  }

  @Post('users')
  @HttpCode(201)
  @RequireRoles('admin')
  async createUser(@Body() dto: CreateUserDto) {
    return userView(await this.directory.createUser(dto));
  }
}
