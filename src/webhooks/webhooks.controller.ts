import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { notFound } from '../common/problem';
import { CreateWebhookDto, DeliveriesQuery } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

// Malformed ids are "not found", like every other id in the API.
const webhookId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Webhook') });

@ApiTags('webhooks')
@ApiBearerAuth()
@RequireRoles('police-lead', 'agency-officer', 'admin')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.list(principal);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', webhookId) id: string): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  @Get(':id/deliveries')
  deliveries(@CurrentPrincipal() principal: Principal, @Param('id', webhookId) id: string, @Query() query: DeliveriesQuery) {
    return this.webhooks.deliveries(principal, id, query.limit);
  }
}
