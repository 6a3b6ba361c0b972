// A live countdown to a due time (red once overdue), ticking every second.
import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { remaining } from '../lib/time';

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
