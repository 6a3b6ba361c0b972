// The inbox of an agency: list (newest first, keyset pages), mark read, and
// the single-row read the SSE fan-out needs (SQL in notifications.repository.ts).
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { notFound } from '../common/problem';
import type { ListNotificationsQuery } from './notifications.dto';
import { findInInbox, listInbox, markRead, type NotificationRow } from './notifications.repository';

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'deadline-breached' }) type: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) referralId: string | null;
  @ApiProperty({ example: 'Review deadline breached' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export type StreamedNotification = Omit<NotificationView, 'readAt'>;

function toView(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    type: r.type,
    referralId: r.referralId,
    title: r.title,
    body: r.body,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt ? r.readAt.toISOString() : null,
  };
}

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, query: ListNotificationsQuery): Promise<NotificationPage> {
    const limit = query.limit ?? 20;
    const rows = await listInbox(
      this.db,
      principal.agency.id,
      {
        unread: query.unread === 'true' ? true : query.unread === 'false' ? false : undefined,
        before: decodeCursor(query.cursor) ?? undefined,
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor(last.createdAt, last.id) : null };
  }

  /** Idempotent: reading it again keeps the first read time. */
  async markRead(principal: Principal, id: string): Promise<void> {
    if (!(await markRead(this.db, principal.agency.id, id, this.clock.now()))) throw notFound('Notification');
  }

  async findForStream(agencyId: string, id: string): Promise<StreamedNotification | null> {
    const row = await findInInbox(this.db, agencyId, id);
    if (!row) return null;
    const { readAt: _readAt, ...item } = toView(row);
    return item;
  }
}
