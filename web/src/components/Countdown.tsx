// A live countdown to a due time (red once overdue), ticking every second; and
// a list's "next due" cell built on it.
import { Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Deadline } from '../api/types';
import { isOverdue, nextDeadline } from '../lib/deadlines';
import { formatDue, remaining } from '../lib/time';
import { useLang } from '../lib/useLang';
import { Pill } from './Pill';

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Countdown({ dueAt, paused }: { dueAt: string; paused?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const r = remaining(dueAt, now);
  const parts = [
    r.days ? t('countdown.d', { n: r.days }) : '',
    r.days || r.hours ? t('countdown.h', { n: r.hours }) : '',
    t('countdown.m', { n: r.minutes }),
    r.days ? '' : t('countdown.s', { n: r.seconds }),
  ].filter(Boolean);
  const text = parts.join(' ');
  if (paused) return <Typography.Text type="secondary">{t('referral.paused')}</Typography.Text>;
  return r.overdue ? (
    <Typography.Text type="danger" strong role="timer">
      {t('countdown.overdueBy', { text })}
    </Typography.Text>
  ) : (
    <Typography.Text role="timer">{t('countdown.left', { text })}</Typography.Text>
  );
}

/** The next pending deadline of a list row: its kind and due time, an overdue marker, the countdown. */
export function NextDue({ item, now }: { item: { deadlines: Deadline[]; allowedEvents: string[] }; now: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const d = nextDeadline(item);
  if (!d) return <>—</>;
  return (
    <Space orientation="vertical" size={0}>
      <span>
        {isOverdue(item, now) && <Pill tone="red">{t('queue.overdue')}</Pill>}
        {t(`deadlineKind.${d.kind}`, { defaultValue: d.kind })} · {formatDue(d.dueAt, lang)}
      </span>
      <Countdown dueAt={d.dueAt} paused={d.status === 'paused'} />
    </Space>
  );
}
