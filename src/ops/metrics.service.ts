// Prometheus metrics of one app instance. Each instance has its own Registry
// (never prom-client's global one): tests run several apps in one process, and
// one app's counters must not leak into another's /metrics.
import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { EngineEvents, type StepReport } from '../workflow-engine/engine-events';
import { DomainException } from '../common/problem';
import { QueueService } from '../queues/queue.service';
import { QUEUES } from '../queues/queues';
import { within } from '../common/within';

/** How a transition attempt ended: `applied`, `skipped` (its precondition no longer held), or why it was refused. */
export type TransitionResult =
  'applied' | 'skipped' | 'refused' | 'forbidden' | 'not_found' | 'conflict' | 'invalid' | 'unavailable' | 'error';

const RESULT_BY_CODE: Partial<Record<DomainException['code'], TransitionResult>> = {
  TRANSITION_NOT_ALLOWED: 'refused',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  VERSION_CONFLICT: 'conflict',
  VALIDATION_FAILED: 'invalid',
  UNAVAILABLE: 'unavailable',
};

// SUBMIT is not stepped by the engine (the referral does not exist yet; the
// referrals service checks role, target and idempotency first), so it is counted by the
// answer to POST /api/v1/referrals. 401 and 429 never reached the procedure: not counted,
// as they are not for other events.
const SUBMIT_ROUTE = '/api/v1/referrals';
function submitResult(status: number): TransitionResult | null {
  if (status === 201) return 'applied';
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'error';
  return null;
}

export type DeadlineFire = 'reminder' | 'expiry';
export type WebhookOutcome = 'succeeded' | 'failed' | 'dead';

const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
// A scrape must not hang on a database or Redis that does not answer.
const COLLECT_TIMEOUT_MS = 2000;

@Injectable()
export class MetricsService {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'caselink_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly transitions = new Counter({
    name: 'caselink_transitions_total',
    help: 'Workflow events sent to referrals, by event type and result',
    labelNames: ['event', 'result'] as const,
    registers: [this.registry],
  });

  private readonly fireLag = new Histogram({
    name: 'caselink_deadline_fire_lag_seconds',
    help: 'Service-clock time between a deadline (or its reminder) falling due and its event being applied',
    labelNames: ['type', 'kind'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Counter({
    name: 'caselink_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (dead: retries exhausted or target refused)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    engineEvents: EngineEvents,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // The engine reports every event it is asked to apply; metrics only listen.
    engineEvents.onStep((r) => this.countStep(r));
    const warn = (what: string) => (e: unknown) => this.logger.warn(`metrics: cannot read ${what}: ${(e as Error).message}`);

    // Backlog and queue depths are read at scrape time; every process reports the same shared numbers.
    const backlog = new Gauge({
      name: 'caselink_outbox_backlog',
      help: 'Outbox rows not yet handed to the queues',
      registers: [this.registry],
      collect: async () => {
        backlog.reset();
        oldest.reset();
        const [row] = await within(
          COLLECT_TIMEOUT_MS,
          this.db.query(
            `SELECT count(*)::int AS n, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
               FROM outbox WHERE dispatched_at IS NULL`,
          ),
        ).catch(warn('the outbox backlog'));
        if (row) {
          backlog.set(row.n);
          oldest.set(row.age);
        }
      },
    });
    const oldest = new Gauge({
      name: 'caselink_outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox row not yet handed to the queues (0 when none)',
      registers: [this.registry],
    });
    const depth = new Gauge({
      name: 'caselink_queue_depth',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      collect: async () => {
        depth.reset();
        await Promise.all(
          QUEUES.map(async (queue) => {
            const counts = await within(COLLECT_TIMEOUT_MS, this.queues.queues[queue].getJobCounts(...QUEUE_STATES)).catch(
              warn(`queue ${queue}`),
            );
            if (counts) for (const state of QUEUE_STATES) depth.set({ queue, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  /** Prometheus text exposition of this instance's registry. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Express middleware: times every request, labelled by the route template it matched (not the raw URL). */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const route = routeTemplate(req);
        end({ method: req.method, route, status: String(res.statusCode) });
        if (req.method === 'POST' && route === SUBMIT_ROUTE) {
          const result = submitResult(res.statusCode);
          if (result) this.transitions.inc({ event: 'SUBMIT', result });
        }
      });
      next();
    };
  }

  /** Counts one transition attempt by how it ended; returns the attempt's own result or error unchanged. */
  private countStep({ event, outcome }: StepReport): void {
    const type = /^[A-Z_]{1,40}$/.test(event) ? event : 'OTHER';
    const result = outcome === 'applied' || outcome === 'skipped' ? outcome : transitionResult(outcome.error);
    this.transitions.inc({ event: type, result });
  }

  /**
   * After a DEADLINE_REMINDER / DEADLINE_EXPIRED: if it was applied, how late (by the service clock)
   * against when it was due. Returns `applied`, so it can sit in a promise chain.
   */
  deadlineFired(type: DeadlineFire, kind: string, dueAt: Date | string | null | undefined, applied: boolean): boolean {
    if (applied && dueAt) {
      const lag = (this.clock.now().getTime() - new Date(dueAt).getTime()) / 1000;
      this.fireLag.observe({ type, kind }, Math.max(0, lag));
    }
    return applied;
  }

  webhookDelivery(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }
}

/**
 * METRICS_TOKEN: unset, /metrics is public; set, it needs `Authorization: Bearer <it>`.
 * Compared as SHA-256 digests with timingSafeEqual: constant time, whatever the lengths.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  const digest = (v: string) => createHash('sha256').update(v).digest();
  const equal = timingSafeEqual(digest(match?.[1] ?? ''), digest(token));
  return equal && match !== null;
}

export const METRICS_UNAUTHORIZED_DETAIL = 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>';

export function transitionResult(e: unknown): TransitionResult {
  if (e instanceof DomainException) return RESULT_BY_CODE[e.code] ?? 'error';
  return 'error';
}

/** `/api/v1/referrals/:id`, never the id itself: label values must stay few. */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  // A catch-all is middleware (body parser, logger) that matched when no route did.
  if (typeof path === 'string' && !path.includes('*')) return `${req.baseUrl ?? ''}${path}` || '/';
  // A mounted sub-app (Bull Board, Swagger's static files) without a route of its own.
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return 'unmatched';
}
