// Admin: the official holiday calendar of one year — its twelve months as grids;
// clicking a day (or Enter/Space on it) cycles normal → holiday → make-up working
// day → normal; arrow keys move between days. Saving replaces the year
// (PUT /calendars/:year) and says how many pending deadlines were recounted.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, InputNumber, Row, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { Pill } from '../../components/Pill';
import { describeError } from '../../lib/problems';
import { currentYear, formatCalendarDate, formatMonth } from '../../lib/time';
import { useLang } from '../../lib/useLang';

type YearView = components['schemas']['CalendarYearView'];
type Replaced = components['schemas']['CalendarReplaced'];
type Mark = 'normal' | 'holiday' | 'workday';
const NEXT: Record<Mark, Mark> = { normal: 'holiday', holiday: 'workday', workday: 'normal' };
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const; // Monday first, as Chinese calendars are printed

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m + 1)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).getUTCDay();

const STYLE: Record<Mark, { background: string; color: string; border: string }> = {
  normal: { background: '#fff', color: '#262626', border: '#d9d9d9' },
  holiday: { background: '#fff1f0', color: '#a8071a', border: '#ff7875' },
  workday: { background: '#e6f4ff', color: '#003eb3', border: '#4096ff' },
};

export default function CalendarPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : currentYear();
  const [marks, setMarks] = useState<Map<string, Mark>>(new Map());
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<Replaced | null>(null);
  const [focused, setFocused] = useState(`${year}-01-01`);
  const grid = useRef<HTMLDivElement>(null);

  const calendar = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => call<YearView>(api.GET('/api/v1/calendars/{year}', { params: { path: { year } } })),
  });

  useEffect(() => {
    if (!calendar.data) return;
    const next = new Map<string, Mark>();
    calendar.data.holidays.forEach((d) => next.set(d, 'holiday'));
    calendar.data.workdays.forEach((d) => next.set(d, 'workday'));
    setMarks(next);
    setDirty(false);
  }, [calendar.data]);

  useEffect(() => {
    setFocused(`${year}-01-01`);
    setResult(null);
  }, [year]);

  const markOf = (date: string): Mark => marks.get(date) ?? 'normal';
  const cycle = (date: string) => {
    setMarks((m) => {
      const next = new Map(m);
      const mark = NEXT[m.get(date) ?? 'normal'];
      if (mark === 'normal') next.delete(date);
      else next.set(date, mark);
      return next;
    });
    setDirty(true);
  };

  const days = useMemo(() => {
    const all: string[] = [];
    for (let m = 0; m < 12; m++) for (let d = 1; d <= daysIn(year, m); d++) all.push(iso(year, m, d));
    return all;
  }, [year]);

  const move = (e: KeyboardEvent<HTMLButtonElement>, date: string) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7, Home: -366, End: 366 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const i = Math.min(days.length - 1, Math.max(0, days.indexOf(date) + step));
    setFocused(days[i]);
    grid.current?.querySelector<HTMLButtonElement>(`[data-date="${days[i]}"]`)?.focus();
  };

  const save = async () => {
    setSaving(true);
    try {
      const holidays = [...marks]
        .filter(([, m]) => m === 'holiday')
        .map(([d]) => d)
        .sort();
      const workdays = [...marks]
        .filter(([, m]) => m === 'workday')
        .map(([d]) => d)
        .sort();
      const replaced = await call<Replaced>(
        api.PUT('/api/v1/calendars/{year}', { params: { path: { year } }, body: { holidays, workdays } }),
      );
      setResult(replaced);
      message.success(t('admin.calendar.saved', { year }));
      queryClient.setQueryData(['calendar', year], { year, holidays: replaced.holidays, workdays: replaced.workdays });
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };

  const holidayCount = [...marks.values()].filter((m) => m === 'holiday').length;
  const workdayCount = [...marks.values()].filter((m) => m === 'workday').length;
  const markLabel = (mark: Mark, weekend: boolean) =>
    mark === 'normal' ? (weekend ? t('admin.calendar.weekend') : t('admin.calendar.normal')) : t(`admin.calendar.${mark}`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('admin.calendar.title', { year })}
        </Typography.Title>
        <Flex wrap gap="small" align="center">
          <label htmlFor="calendar-year">{t('admin.calendar.year')}</label>
          <InputNumber
            id="calendar-year"
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => v && v >= 2000 && v <= 2100 && setParams({ year: String(v) }, { replace: true })}
            style={{ width: 110 }}
          />
          <Button type="primary" onClick={() => void save()} loading={saving} disabled={!dirty || calendar.isLoading}>
            {t('admin.calendar.save')}
          </Button>
        </Flex>
      </Flex>
      <Typography.Paragraph style={{ margin: 0 }}>{t('admin.calendar.help')}</Typography.Paragraph>
      <Flex wrap gap="middle" align="center" aria-label={t('admin.calendar.legend')} role="group">
        {(['holiday', 'workday'] as const).map((m) => (
          <Space key={m} size={4}>
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: 14,
                height: 14,
                border: `1px solid ${STYLE[m].border}`,
                background: STYLE[m].background,
              }}
            />
            <span>{t(`admin.calendar.${m}`)}</span>
          </Space>
        ))}
        <span data-testid="calendar-counts">
          {t('admin.calendar.counts', { holidays: holidayCount, workdays: workdayCount })}
        </span>
        {dirty && <Pill tone="orange">{t('admin.calendar.unsaved')}</Pill>}
      </Flex>
      {calendar.error && <Alert type="error" showIcon title={describeError(calendar.error, t)} />}
      {result && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('admin.calendar.recomputed', { year: result.year, count: result.recomputedDeadlines })}
          closable={{ onClose: () => setResult(null) }}
        />
      )}
      <div ref={grid}>
        <Row gutter={[12, 12]}>
          {Array.from({ length: 12 }, (_, m) => (
            <Col key={m} xs={24} sm={12} lg={8} xl={6}>
              <Card
                size="small"
                title={<h2 style={{ fontSize: 15, margin: 0 }}>{formatMonth(`${year}-${pad(m + 1)}`, lang)}</h2>}
              >
                <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, textAlign: 'center' }}>
                  {WEEKDAYS.map((w) => (
                    <span key={w} aria-hidden style={{ fontSize: 12, color: '#595959' }}>
                      {t(`admin.calendar.wd${w}`)}
                    </span>
                  ))}
                  {Array.from({ length: (weekday(year, m, 1) + 6) % 7 }, (_, i) => (
                    <span key={`blank-${i}`} aria-hidden />
                  ))}
                  {Array.from({ length: daysIn(year, m) }, (_, i) => {
                    const date = iso(year, m, i + 1);
                    const wd = weekday(year, m, i + 1);
                    const weekend = wd === 0 || wd === 6;
                    const mark = markOf(date);
                    const style = STYLE[mark];
                    return (
                      <button
                        key={date}
                        type="button"
                        data-date={date}
                        data-mark={mark}
                        tabIndex={date === focused ? 0 : -1}
                        aria-label={`${formatCalendarDate(date, lang)}: ${markLabel(mark, weekend)}`}
                        onClick={() => {
                          setFocused(date);
                          cycle(date);
                        }}
                        onKeyDown={(e) => move(e, date)}
                        style={{
                          padding: '4px 0',
                          minWidth: 0,
                          cursor: 'pointer',
                          borderRadius: 4,
                          font: 'inherit',
                          fontSize: 13,
                          border: `1px solid ${style.border}`,
                          background: mark === 'normal' && weekend ? '#f5f5f5' : style.background,
                          color: style.color,
                          fontWeight: mark === 'normal' ? 400 : 600,
                        }}
                      >
                        {i + 1}
                      </button>
                    );
                  })}
                </div>
              </Card>
            </Col>
          ))}
        </Row>
      </div>
    </Space>
  );
}
