import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
import { CreateWebhookDto, DeliveriesQuery } from './webhook.dto';
import { CreatedWebhook, DeliveryList, WebhookList, WebhooksService } from './webhooks.service';

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
  @ApiOperation({ summary: "Subscribe a URL to the events of every referral in the agency's scope (secret shown once)" })
  @ApiCreatedResponse({ type: CreatedWebhook })
  @ApiProblems(400)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: "The agency's webhook subscriptions" })
  @ApiOkResponse({ type: WebhookList })
  list(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.list(principal);
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the subscription' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription' })
  @ApiNoContentResponse({ description: "deleted; deliveries still to be sent become dead ('subscription deleted')" })
  @ApiProblems(404)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', webhookId) id: string): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  @Get(':id/deliveries')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the subscription' })
  @ApiOperation({ summary: "A subscription's deliveries, newest first, with their status" })
  @ApiOkResponse({ type: DeliveryList })
  @ApiProblems(400, 404)
  deliveries(@CurrentPrincipal() principal: Principal, @Param('id', webhookId) id: string, @Query() query: DeliveriesQuery) {
    return this.webhooks.deliveries(principal, id, query.limit);
  }
}
