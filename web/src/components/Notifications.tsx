// Notifications: the unread badge, a drawer with the list, marking read, and
// the live stream. GET /notifications/stream needs the bearer header, which
// EventSource cannot send, so it is read with fetch and parsed here.
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, List, Space, Switch, Typography, notification as toast } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import type { Notification, Page } from '../api/types';
import { session } from '../auth/session';
import { formatDateTime } from '../lib/time';
import { useLang } from '../lib/useLang';

interface Streamed {
  id: string;
  title: string;
  body: string;
  referralId: string | null;
}

/** Reads the SSE stream while signed in; reconnects with a growing pause; stops on 401. */
function useNotificationStream(onEvent: (n: Streamed) => void): void {
  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    const run = async () => {
      while (!abort.signal.aborted && session.token) {
        try {
          const res = await fetch('/api/v1/notifications/stream', {
            headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' },
            signal: abort.signal,
          });
          if (res.status === 401 || res.status === 403 || !res.body) return; // the API client handles the session
          delay = 1000;
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block
                .split('\n')
                .filter((l) => l.startsWith('data:'))
                .map((l) => l.slice(5).trimStart())
                .join('\n');
              if (data) {
                try {
                  onEvent(JSON.parse(data) as Streamed);
                } catch {
                  // not JSON: ignore
                }
              }
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    };
    void run();
    return () => abort.abort();
  }, [onEvent]);
}

export function NotificationsBell() {
  const { t } = useTranslation();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(true);

  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () =>
      call<Page<Notification>>(api.GET('/api/v1/notifications', { params: { query: { unread: 'true', limit: 100 } as never } })),
  });
  const list = useQuery({
    queryKey: ['notifications', 'list', unreadOnly],
    queryFn: () =>
      call<Page<Notification>>(
        api.GET('/api/v1/notifications', {
          params: { query: (unreadOnly ? { unread: 'true', limit: 50 } : { limit: 50 }) as never },
        }),
      ),
    enabled: open,
  });

  const [onEvent] = useState(() => (n: Streamed) => {
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    void queryClient.invalidateQueries({ queryKey: ['referrals'] });
    if (n.referralId) void queryClient.invalidateQueries({ queryKey: ['referral', n.referralId] });
    toast.info({ message: n.title, description: n.body, placement: 'bottomRight' });
  });
  useNotificationStream(onEvent);

  const markRead = async (id: string) => {
    await call(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } }));
    await queryClient.invalidateQueries({ queryKey: ['notifications'] });
  };

  const count = unread.data?.items.length ?? 0;
  return (
    <>
      <Badge count={count} overflowCount={unread.data?.nextCursor ? 99 : 100} size="small">
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.open', { count })}
          onClick={() => setOpen(true)}
          style={{ color: 'inherit' }}
        />
      </Badge>
      <Drawer title={t('notifications.title')} open={open} onClose={() => setOpen(false)} size="default">
        <Space style={{ marginBottom: 12 }}>
          <Switch checked={unreadOnly} onChange={setUnreadOnly} aria-label={t('notifications.unreadOnly')} />
          <span>{t('notifications.unreadOnly')}</span>
        </Space>
        <List
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Typography.Text type="secondary">{t('notifications.empty')}</Typography.Text> }}
          renderItem={(n) => (
            <List.Item
              actions={[
                n.readAt ? (
                  <Typography.Text type="secondary" key="read">
                    {t('notifications.read')}
                  </Typography.Text>
                ) : (
                  <Button size="small" key="mark" onClick={() => void markRead(n.id)}>
                    {t('notifications.markRead')}
                  </Button>
                ),
              ]}
            >
              <List.Item.Meta
                title={
                  n.referralId ? (
                    <Link to={`/referrals/${n.referralId}`} onClick={() => setOpen(false)}>
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )
                }
                description={
                  <>
                    <div>{n.body}</div>
                    <Typography.Text type="secondary">{formatDateTime(n.createdAt, lang)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}
