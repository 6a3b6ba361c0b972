// Webhook subscriptions belong to an agency: whoever of that agency may manage
// them sees, deletes and inspects them; other agencies get 404.
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { notFound, validationFailed } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { WEBHOOK_EVENT_TYPES, SUBSCRIBABLE, type CreateWebhookDto } from './webhook.dto';
import { assertPublicTarget, RefusedTargetError } from './ssrf-guard';

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://example.org/caselink-hook' }) url: string;
  @ApiProperty({ enum: SUBSCRIBABLE, isArray: true, example: ['SUBMIT', 'ACKNOWLEDGE'] }) eventTypes: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedWebhook {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://example.org/caselink-hook' }) url: string;
  @ApiProperty({ enum: SUBSCRIBABLE, isArray: true, example: ['SUBMIT', 'ACKNOWLEDGE'] }) eventTypes: string[];
  @ApiProperty({ description: 'the HMAC-SHA256 signing secret; shown here once and never again' }) secret: string;
}

export class WebhookList {
  @ApiProperty({ type: [WebhookView] }) items: WebhookView[];
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'also sent as X-CaseLink-Delivery' }) id: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, example: 'ACKNOWLEDGE' }) eventType: string;
  @ApiProperty({ format: 'uuid' }) referralId: string;
  @ApiProperty({ example: 2, description: 'the timeline seq of the event' }) seq: number;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'dead'] }) status: 'pending' | 'succeeded' | 'failed' | 'dead';
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 503, description: "the target's last HTTP status" })
  lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503', description: 'a short reason, never the response body' })
  lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeliveryList {
  @ApiProperty({ type: [DeliveryView], description: 'newest first' }) items: DeliveryView[];
}

const webhookView = (r: any): WebhookView => ({
  id: r.id,
  url: r.url,
  eventTypes: r.event_types,
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** The secret is returned here and never again. */
  async create(principal: Principal, dto: CreateWebhookDto): Promise<CreatedWebhook> {
    try {
      await assertPublicTarget(dto.url, { allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS });
    } catch (e) {
      const message = e instanceof RefusedTargetError ? e.message : `the url's host could not be resolved`;
      throw validationFailed([{ field: 'url', message }], 'The webhook url is refused');
    }
    const secret = randomBytes(32).toString('base64url');
    const [row] = await this.db.query(
      `INSERT INTO webhook_subscriptions (agency_id, url, event_types, secret, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, url, event_types`,
      [principal.agency.id, dto.url, dto.eventTypes, secret, principal.userId],
    );
    return { id: row.id, url: row.url, eventTypes: row.event_types, secret };
  }

  async list(principal: Principal): Promise<WebhookList> {
    const rows = await this.db.query(
      `SELECT id, url, event_types, created_at FROM webhook_subscriptions
        WHERE agency_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
      [principal.agency.id],
    );
    return { items: rows.map(webhookView) };
  }

  /** Soft delete: deliveries stay as history; those not yet sent are marked dead (the processor skips them too). */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // For UPDATE, TypeORM's raw query answers [rows, affected].
      const [, affected]: [unknown[], number] = await tx.query(
        `UPDATE webhook_subscriptions SET deleted_at = now()
          WHERE id = $1 AND agency_id = $2 AND deleted_at IS NULL`,
        [id, principal.agency.id],
      );
      if (affected === 0) throw notFound('Webhook');
      // What was still to be sent will not be: say so on the rows rather than leave them pending.
      await tx.query(
        `UPDATE webhook_deliveries SET status = 'dead', last_error = 'subscription deleted', updated_at = now()
          WHERE subscription_id = $1 AND status IN ('pending', 'failed')`,
        [id],
      );
    });
  }

  async deliveries(principal: Principal, id: string, limit = 100): Promise<DeliveryList> {
    const [sub] = await this.db.query(
      `SELECT id FROM webhook_subscriptions WHERE id = $1 AND agency_id = $2 AND deleted_at IS NULL`,
      [id, principal.agency.id],
    );
    if (!sub) throw notFound('Webhook');
    const rows = await this.db.query(
      `SELECT id, event_type, referral_id, seq, status, attempts, last_status_code, last_error, delivered_at, created_at
         FROM webhook_deliveries WHERE subscription_id = $1
        ORDER BY created_at DESC, seq DESC, id DESC LIMIT $2`,
      [id, limit],
    );
    return {
      items: rows.map((r: any): DeliveryView => ({
        id: r.id,
        eventType: r.event_type,
        referralId: r.referral_id,
        seq: r.seq,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }
}
