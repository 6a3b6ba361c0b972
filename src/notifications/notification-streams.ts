// Server-Sent Events of new notifications, across processes: whichever process
// ran the job publishes {agencyId, id} on Redis; every API process holds ONE
// subscriber connection for that channel and fans each message out to its own
// open streams of that agency, loading the row once per message.
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { REDIS, subscriberOf, type RedisConnection } from '../redis/redis';
import { notificationsChannel, type NotificationAnnouncement } from './notification.processor';
import { NotificationsService, type StreamedNotification } from './notifications.service';

export const HEARTBEAT_MS = 15_000;
/** A client this far behind (bytes buffered for it) is dropped; it reconnects and lists what it missed. */
const MAX_BUFFERED_BYTES = 1 << 20;

interface OpenStream {
  agencyId: string;
  res: Response;
}

@Injectable()
export class NotificationStreams implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationStreams');
  private readonly byAgency = new Map<string, Set<OpenStream>>();
  private subscriber?: RedisConnection;
  private heartbeatTimer?: NodeJS.Timeout;
  private closing = false;
  /** Messages are handled one after another, so a stream sees notifications in the order they were announced. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_API) return; // no HTTP, no streams to feed
    const subscriber = subscriberOf(this.redis);
    subscriber.on('error', () => undefined); // ioredis reconnects and resubscribes by itself
    subscriber.on('message', (_channel: string, message: string) => {
      this.tail = this.tail
        .then(() => this.fanOut(message))
        .catch((e) => this.logger.warn(`fan-out failed: ${(e as Error).message}`));
    });
    await subscriber.subscribe(notificationsChannel(this.config));
    this.subscriber = subscriber;
    this.heartbeatTimer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  /** Takes over the response: headers now, events as they come, cleanup when the client goes away. */
  open(agencyId: string, res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no'); // no proxy buffering
    res.flushHeaders();
    res.write(': connected\n\nretry: 3000\n\n');
    if (this.closing) {
      res.end(); // shutting down: the client reconnects to another process
      return;
    }
    const stream: OpenStream = { agencyId, res };
    let streams = this.byAgency.get(agencyId);
    if (!streams) this.byAgency.set(agencyId, (streams = new Set()));
    streams.add(stream);
    // The stream ends when its token expires or stops working (logout, deactivation, revocation).
    const unwatch = (res.req as AuthenticatedRequest).credential?.watch(() => {
      this.remove(stream);
      res.end();
    });
    const cleanup = () => {
      unwatch?.();
      this.remove(stream);
    };
    res.on('close', cleanup);
    res.on('error', cleanup);
  }

  /** A comment line: keeps proxies and load balancers from closing an idle stream. */
  heartbeat(): void {
    for (const stream of this.all()) this.write(stream, `: heartbeat ${Date.now()}\n\n`);
  }

  /** How many streams this process serves (for an agency, or all). */
  openStreams(agencyId?: string): number {
    if (agencyId) return this.byAgency.get(agencyId)?.size ?? 0;
    return [...this.byAgency.values()].reduce((n, s) => n + s.size, 0);
  }

  private async fanOut(message: string): Promise<void> {
    let announcement: NotificationAnnouncement;
    try {
      announcement = JSON.parse(message);
    } catch {
      return;
    }
    const streams = this.byAgency.get(announcement.agencyId);
    if (!streams || streams.size === 0 || typeof announcement.id !== 'string') return;
    const item = await this.notifications.findForStream(announcement.agencyId, announcement.id);
    if (!item) return;
    const frame = eventFrame(item);
    for (const stream of [...streams]) this.write(stream, frame);
  }

  private write(stream: OpenStream, frame: string): void {
    const { res } = stream;
    if (res.writableEnded || res.destroyed) return this.remove(stream);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.remove(stream);
      res.end();
      return;
    }
    res.write(frame);
  }

  private remove(stream: OpenStream): void {
    const streams = this.byAgency.get(stream.agencyId);
    if (!streams) return;
    streams.delete(stream);
    if (streams.size === 0) this.byAgency.delete(stream.agencyId);
  }

  private *all(): Iterable<OpenStream> {
    for (const streams of [...this.byAgency.values()]) yield* [...streams];
  }

  /**
   * Ends the open streams before Nest closes the HTTP server (which waits for
   * open connections and runs before the shutdown hooks).
   */
  beforeApplicationShutdown(): void {
    this.closing = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const stream of [...this.all()]) {
      this.remove(stream);
      stream.res.end();
    }
  }

  /** Closes the subscriber connection. */
  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown(); // nothing left to end if it already ran
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}

/** One SSE event (default type "message", so EventSource.onmessage gets it): `id:` the notification id, `data:` its JSON (one line: JSON.stringify escapes newlines). */
export function eventFrame(item: StreamedNotification): string {
  return `id: ${item.id}\ndata: ${JSON.stringify(item)}\n\n`;
}
