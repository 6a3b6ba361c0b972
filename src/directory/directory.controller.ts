import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import {
  AgencyQueryDto,
  CreateAgencyDto,
  CreateUserDto,
  ResetPasswordDto,
  UpdateAgencyDto,
  UpdateUserDto,
  UserQueryDto,
} from './directory.dto';
import { DirectoryService } from './directory.service';
import { AgencyListDto, DirectoryAgencyDto, directoryAgencyView, UserDto, UserPageDto, userView } from './directory.views';

// A malformed id names nothing: 404, like an unknown one.
const userId = new ParseUUIDPipe({ exceptionFactory: () => notFound('User') });
const agencyId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Agency') });

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api/v1')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('agencies')
  @HttpCode(201)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Create an agency (admin)' })
  @ApiCreatedResponse({ type: DirectoryAgencyDto })
  @ApiProblems(400, 401, 403, 409, 429, 503)
  async createAgency(@Body() dto: CreateAgencyDto): Promise<DirectoryAgencyDto> {
    return directoryAgencyView(await this.directory.createAgency(dto));
  }

  // Any authenticated user: needed to pick a target.
  @Get('agencies')
  @ApiOperation({ summary: 'List agencies', description: 'Any authenticated user: needed to pick a target. Ordered by code.' })
  @ApiOkResponse({ type: AgencyListDto })
  @ApiProblems(400, 401, 503)
  async listAgencies(@Query() query: AgencyQueryDto): Promise<AgencyListDto> {
    return { items: (await this.directory.listAgencies(query)).map(directoryAgencyView) };
  }

  @Patch('agencies/:id')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Rename or (de)activate an agency (admin)',
    description: 'A deactivated agency takes no new users or API keys; its users and referrals stay as they are.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DirectoryAgencyDto })
  @ApiProblems(400, 401, 403, 404, 429, 503)
  async updateAgency(@Param('id', agencyId) id: string, @Body() dto: UpdateAgencyDto): Promise<DirectoryAgencyDto> {
    return directoryAgencyView(await this.directory.updateAgency(id, dto));
  }

  @Post('users')
  @HttpCode(201)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Create a user (admin)', description: 'The roles must fit the kind of the agency.' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 409, 429, 503)
  async createUser(@Body() dto: CreateUserDto): Promise<UserDto> {
    return userView(await this.directory.createUser(dto));
  }

  @Get('users')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'List users (admin)',
    description: 'People only, oldest first; the users behind API keys are listed under /api/v1/api-keys.',
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403, 503)
  async listUsers(@Query() query: UserQueryDto): Promise<UserPageDto> {
    const page = await this.directory.listUsers(query);
    return { items: page.items.map(userView), nextCursor: page.nextCursor };
  }

  @Patch('users/:id')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Change a user (admin)',
    description:
      "Changing roles, agency or `active` ends every token of the user. Roles must fit the agency's kind; an admin cannot remove their own admin access; an API key's user only takes displayName and active.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404, 429, 503)
  async updateUser(
    @CurrentPrincipal() principal: Principal,
    @Param('id', userId) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return userView(await this.directory.updateUser(principal, id, dto));
  }

  @Post('users/:id/password')
  @HttpCode(204)
  @RequireRoles('admin')
  @ApiOperation({ summary: "Reset a user's password (admin)", description: 'Every token of the user stops working.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'The password is reset' })
  @ApiProblems(400, 401, 403, 404, 429, 503)
  async resetPassword(@Param('id', userId) id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    await this.directory.setPassword(id, dto.newPassword);
  }
}
