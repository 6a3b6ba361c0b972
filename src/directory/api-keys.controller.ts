import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
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
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

const keyId = new ParseUUIDPipe({ exceptionFactory: () => notFound('API key') });

/** Keys for system-to-system clients, sent as `X-Api-Key`. Admin only; listings never carry a secret. */
@ApiTags('api-keys')
@ApiBearerAuth()
@RequireRoles('admin')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an API key (admin)',
    description:
      "The key acts for one agency with fixed roles (not admin) and is shown in this answer only. Deactivating the key's user (PATCH /users/:id) stops it too.",
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403, 429, 503)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (admin)', description: 'Newest first, revoked ones included; never the key itself.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(401, 403, 503)
  list(): Promise<ApiKeyListDto> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)', description: 'Takes effect at once; revoking twice is not an error.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'The key no longer works' })
  @ApiProblems(401, 403, 404, 429, 503)
  async revoke(@Param('id', keyId) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
