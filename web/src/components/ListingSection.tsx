// A referral's listing for supervision (联合挂牌督办): level, listing bodies, the
// reporting period and the next report due, and the reporting record, which is the
// timeline's REPORT_SUPERVISION_PROGRESS events since the referral was last delisted.
import { Descriptions, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAgencyNames } from '../api/queries';
import type { Deadline, Listing, TimelineEvent } from '../api/types';
import { formatDateTime, formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';
import { Countdown } from './Countdown';
import { Section } from './ProcedureParts';

interface Props {
  listing: Listing;
  deadlines: Deadline[];
  events: TimelineEvent[] | undefined;
}

export function ListingSection({ listing, deadlines, events = [] }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const agencyName = useAgencyNames();
  const due = deadlines.find((d) => d.kind === 'supervision-report' && (d.status === 'pending' || d.status === 'breached'));
  const delisted = Math.max(0, ...events.filter((e) => e.type === 'DELIST').map((e) => e.seq));
  const reports = events.filter((e) => e.type === 'REPORT_SUPERVISION_PROGRESS' && e.seq > delisted);
  return (
    <Section title={t('listing.title')}>
      <div data-testid="listing">
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('form.level')}>{t(`level.${listing.level}`)}</Descriptions.Item>
          <Descriptions.Item label={t('listing.bodies')}>{listing.bodies.map((b) => agencyName(b)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('listing.period')}>
            {listing.reportEveryDays ? t('listing.everyDays', { n: listing.reportEveryDays }) : t('listing.noPeriod')}
          </Descriptions.Item>
          <Descriptions.Item label={t('listing.nextDue')}>
            {due ? (
              <>
                {formatDue(due.dueAt, lang)} <Countdown dueAt={due.dueAt} />
              </>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('listing.reports')}>{listing.reports}</Descriptions.Item>
        </Descriptions>
        <h3 style={{ fontSize: 14, margin: '12px 0 8px' }}>{t('listing.record')}</h3>
        <Table<TimelineEvent>
          size="small"
          rowKey="seq"
          pagination={false}
          dataSource={reports}
          locale={{ emptyText: <Typography.Text type="secondary">{t('listing.noReports')}</Typography.Text> }}
          columns={[
            { title: t('listing.reportedAt'), render: (_, e) => formatDateTime(e.occurredAt, lang), width: 170 },
            { title: t('referral.agency'), render: (_, e) => agencyName(e.actor.agencyId), width: 220 },
            {
              title: t('form.note'),
              render: (_, e) => (
                <span style={{ whiteSpace: 'pre-wrap' }}>{String((e.payload as { note?: string })?.note ?? '')}</span>
              ),
            },
          ]}
        />
      </div>
    </Section>
  );
}
