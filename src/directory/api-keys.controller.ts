import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { notFound } from '../common/problem';
import { CreateApiKeyDto } from './api-keys.dto';
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
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto) {
    return this.apiKeys.create(principal, dto);
  }

  @Get()
  list() {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', keyId) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
