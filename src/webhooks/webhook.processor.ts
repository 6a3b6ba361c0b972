// Timeline event → one delivery row per matching subscription in scope → one
// signed POST per delivery, retried by BullMQ with exponential backoff; the row
// is the truth (status, attempts, last answer), the job only a trigger.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../ops/metrics.service';
import { QueueService } from '../queues/queue.service';
import type { JobData } from '../queues/queues';
import { maskUnlessParty, visibleAtEvent } from '../auth/scope';
import { SqlParams } from '../common/sql-params';
import { joinReferral } from '../referrals/referrals.repository';
import { signatureHeader } from './signature';
import { postJson, type PostResult } from './post-json';
import { assertPublicTarget, RefusedTargetError } from './ssrf-guard';

const TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 1000;

interface DeliveryRow {
  id: string;
  status: string;
  referral_id: string;
  seq: number;
  url: string;
  secret: string;
  agency_id: string;
  deleted_at: Date | null;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  to_state: string;
  reference_no: string;
  source_agency_id: string;
  target_before: string;
  target_after: string;
}

/**
 * The referral's target as of timeline event `e` (of referral `r`): after it (`<=`) or
 * just before it (`<`). FORWARD, ELEVATE and DESIGNATE change the target (each records it
 * as toAgencyId); SUBMIT names the first one.
 * Taken from the append-only timeline, so a retry or a late fan-out decides the same.
 */
const targetAt = (cmp: '<' | '<=') => `COALESCE(
  (SELECT f.payload->>'toAgencyId' FROM referral_events f
    WHERE f.referral_id = e.referral_id AND f.type IN ('FORWARD', 'ELEVATE', 'DESIGNATE') AND f.seq ${cmp} e.seq ORDER BY f.seq DESC LIMIT 1),
  (SELECT sb.payload->>'targetAgencyId' FROM referral_events sb WHERE sb.referral_id = e.referral_id AND sb.seq = 1),
  r.target_agency_id::text)::uuid`;

/** The delivery body, built only from stored rows: every retry sends the same bytes. */
export function deliveryBody(row: DeliveryRow): string {
  // The two parties of the transfer as they stood at this event: a retry never unmasks or masks differently.
  const data = maskUnlessParty(
    row.agency_id,
    row.payload,
    { sourceAgencyId: row.source_agency_id, targetAgencyId: row.target_before },
    { sourceAgencyId: row.source_agency_id, targetAgencyId: row.target_after },
  );
  return JSON.stringify({
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    // The state the referral reached with this event (not whatever it is by the time of a retry).
    referral: { id: row.referral_id, referenceNo: row.reference_no, state: row.to_state },
    data,
  });
}

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err?.cause?.code ?? err?.cause?.message;
  return cause ? `${err.message} (${cause})` : String(err?.message ?? e);
}

@Injectable()
export class WebhookProcessor {
  private readonly logger = new Logger('WebhookProcessor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly metrics: MetricsService,
  ) {}

  /** One delivery row per live subscription that wants this event type and whose agency had the referral in scope. */
  async fanout({ referralId, seq }: JobData['webhook.fanout']): Promise<void> {
    const [event] = await this.db.query(
      `SELECT e.type, e.occurred_at, r.source_agency_id, r.region_code, r.former_target_ids,
              ${targetAt('<')} AS target_before, ${targetAt('<=')} AS target_after
         FROM referral_events e ${joinReferral('e.referral_id')}
        WHERE e.referral_id = $1 AND e.seq = $2`,
      [referralId, seq],
    );
    if (!event) {
      this.logger.warn(`webhook fan-out: no timeline event ${referralId}#${seq}`);
      return;
    }
    // Scope for the subscriber's agency as it stood when the event happened (auth/scope.ts).
    const params = new SqlParams();
    const [rid, eventSeq, eventType] = [params.add(referralId), params.add(seq), params.add(event.type)];
    const inScope = visibleAtEvent(
      {
        referralId,
        sourceAgencyId: event.source_agency_id,
        targetBefore: event.target_before,
        targetAfter: event.target_after,
        regionCode: event.region_code,
        occurredAt: event.occurred_at,
        formerTargetIds: event.former_target_ids,
      },
      params,
      'a',
    );
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO webhook_deliveries (subscription_id, referral_id, seq, event_type, status)
       SELECT s.id, ${rid}::uuid, ${eventSeq}::int, ${eventType}::text, 'pending'
         FROM webhook_subscriptions s JOIN agencies a ON a.id = s.agency_id
        WHERE s.deleted_at IS NULL
          AND s.event_types && ARRAY[${eventType}::text, '*']
          AND ${inScope}
       ON CONFLICT (subscription_id, referral_id, seq) DO NOTHING
       RETURNING id`,
      params.values,
    );
    // A fan-out retried after a crash between insert and enqueue finds its rows
    // already there: every still-pending one gets its job (ids make a repeat a no-op).
    const pending: { id: string }[] = await this.db.query(
      `SELECT id FROM webhook_deliveries WHERE referral_id = $1 AND seq = $2 AND status = 'pending'`,
      [referralId, seq],
    );
    const ids = new Set([...inserted, ...pending].map((r) => r.id));
    for (const deliveryId of ids) await this.queues.add('webhook.deliver', { deliveryId });
  }

  async deliver({ deliveryId }: JobData['webhook.deliver'], attempt: { attemptsMade: number; attempts: number }): Promise<void> {
    const [row]: DeliveryRow[] = await this.db.query(
      `SELECT d.id, d.status, d.referral_id, d.seq, s.url, s.secret, s.agency_id, s.deleted_at,
              e.type, e.payload, e.occurred_at, e.to_state,
              r.reference_no, r.source_agency_id, ${targetAt('<')} AS target_before, ${targetAt('<=')} AS target_after
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         JOIN referral_events e ON e.referral_id = d.referral_id AND e.seq = d.seq
         ${joinReferral('d.referral_id')}
        WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || row.deleted_at || row.status === 'succeeded' || row.status === 'dead') return;

    // Again at delivery time: the name may resolve elsewhere now than when it was checked at creation;
    // the request then connects to the address checked here.
    let address: string | undefined;
    try {
      address = await assertPublicTarget(row.url, { allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS });
    } catch (e) {
      if (e instanceof RefusedTargetError) {
        await this.record(deliveryId, 'dead', null, `refused: ${e.message}`);
        throw new UnrecoverableError(`webhook delivery ${deliveryId} refused: ${e.message}`);
      }
      return this.fail(deliveryId, attempt, null, `cannot resolve the target: ${describe(e)}`);
    }

    const body = deliveryBody(row);
    const timestamp = Math.floor(Date.now() / 1000);
    let res: PostResult;
    try {
      res = await postJson(
        new URL(row.url),
        {
          'content-type': 'application/json',
          'user-agent': 'CaseLink-Webhooks/1',
          'x-caselink-event': row.type,
          'x-caselink-delivery': row.id,
          'x-caselink-signature': signatureHeader(row.secret, body, timestamp),
        },
        body,
        // A redirect is an answer, not an invitation to go elsewhere: it is not followed.
        { address, timeoutMs: TIMEOUT_MS },
      );
    } catch (e) {
      return this.fail(deliveryId, attempt, null, describe(e));
    }
    if (res.status >= 200 && res.status < 300) {
      await this.record(deliveryId, 'succeeded', res.status, null);
      return;
    }
    return this.fail(deliveryId, attempt, res.status, `HTTP ${res.status}${res.reason ? ` ${res.reason}` : ''}`);
  }

  /** Records the failed attempt, then throws so that BullMQ retries; after the last attempt the row is dead. */
  private async fail(
    deliveryId: string,
    attempt: { attemptsMade: number; attempts: number },
    statusCode: number | null,
    error: string,
  ): Promise<never> {
    const last = attempt.attemptsMade + 1 >= attempt.attempts;
    await this.record(deliveryId, last ? 'dead' : 'failed', statusCode, error);
    const message = `webhook delivery ${deliveryId} failed (attempt ${attempt.attemptsMade + 1}/${attempt.attempts}): ${error}`;
    throw last ? new UnrecoverableError(message) : new Error(message);
  }

  private async record(
    deliveryId: string,
    status: 'succeeded' | 'failed' | 'dead',
    statusCode: number | null,
    error: string | null,
  ) {
    const [, changed] = await this.db.query(
      `UPDATE webhook_deliveries
          SET status = $2, attempts = attempts + 1, last_status_code = $3, last_error = $4,
              delivered_at = CASE WHEN $2 = 'succeeded' THEN now() ELSE delivered_at END, updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed')`,
      [deliveryId, status, statusCode, error === null ? null : error.slice(0, MAX_ERROR_CHARS)],
    );
    if (changed) this.metrics.webhookDelivery(status);
  }
}
