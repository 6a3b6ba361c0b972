// The inbox of an agency: list (newest first, keyset pages), mark read, and
// the single-row read the SSE fan-out needs. Every query is bound to the
// caller's agency, so another agency's notification does not exist here.
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { notFound } from '../common/problem';
import { SqlParams } from '../common/sql-params';
import type { ListNotificationsQuery } from './notifications.dto';

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

interface NotificationRow {
  id: string;
  type: string;
  referral_id: string | null;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = `id, type, referral_id, title, body, created_at, read_at`;

function toView(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    type: r.type,
    referralId: r.referral_id,
    title: r.title,
    body: r.body,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
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
    const params = new SqlParams();
    const where = [`agency_id = ${params.add(principal.agency.id)}`];
    if (query.unread === 'true') where.push('read_at IS NULL');
    if (query.unread === 'false') where.push('read_at IS NOT NULL');
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      where.push(`(created_at, id) < (${params.add(cursor.at)}::timestamptz, ${params.add(cursor.id)}::uuid)`);
    }
    const rows: NotificationRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM notifications WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor(last.created_at, last.id) : null };
  }

  /** Idempotent: reading it again keeps the first read time. */
  async markRead(principal: Principal, id: string): Promise<void> {
    const [rows]: [{ id: string }[], number] = await this.db.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND agency_id = $2 RETURNING id`,
      [id, principal.agency.id, this.clock.now()],
    );
    if (rows.length === 0) throw notFound('Notification');
  }

  async findForStream(agencyId: string, id: string): Promise<StreamedNotification | null> {
    const [row]: NotificationRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND agency_id = $2`,
      [id, agencyId],
    );
    if (!row) return null;
    const { readAt: _readAt, ...item } = toView(row);
    return item;
  }
}
