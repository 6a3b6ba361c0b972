// The parts every instance page shows (a referral, a recommendation, a reverse
// transfer): a titled card, the parties, the deadlines with their legal basis
// and countdown, the hash-chained timeline, the links to related instances,
// and sending an event with the 409/412 explanation.
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Table, Timeline, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { useAgencyNames } from '../api/queries';
import type { Deadline, InstanceLink, RectificationTask, Suspect, TimelineEvent, Verification } from '../api/types';
import { describeError } from '../lib/problems';
import { formatDateTime, formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';
import { START_EVENTS, instancePath, wordKey } from '../lib/workflows';
import { Countdown } from './Countdown';
import type { Field } from './event-fields';
import { Pill } from './Pill';
import { StateTag } from './StateTag';
import { payloadLines } from './timeline-payload';

export function Section({ title, children, extra }: { title: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} extra={extra} style={{ marginBottom: 16 }}>
      {children}
    </Card>
  );
}

export function PartiesTable({ parties }: { parties: Suspect[] }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={false}
      dataSource={parties}
      columns={[
        {
          title: t('submit.suspectKind'),
          dataIndex: 'kind',
          render: (k: string) => t(`suspectKind.${k}`, { defaultValue: k }),
        },
        { title: t('submit.suspectName'), dataIndex: 'name' },
        {
          title: t('submit.idNumber'),
          dataIndex: 'idNumber',
          render: (v?: string) => <span className="caselink-mono">{v ?? '—'}</span>,
        },
      ]}
    />
  );
}

export function DeadlinesTable({ deadlines }: { deadlines: Deadline[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const agencyName = useAgencyNames();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: 700 }}
      dataSource={deadlines}
      columns={[
        {
          title: t('referral.kind'),
          dataIndex: 'kind',
          render: (k: string, d) => (
            <>
              {t(`deadlineKind.${k}`, { defaultValue: k })}{' '}
              {(d.calendarIncomplete || d.provisional) && (
                <Tooltip title={t('referral.provisionalHelp')}>
                  <Pill tone="gold" tabIndex={0}>
                    {t('referral.provisional')}
                  </Pill>
                </Tooltip>
              )}
            </>
          ),
        },
        { title: t('referral.dueAt'), dataIndex: 'dueAt', render: (v: string) => formatDue(v, lang) },
        {
          title: t('referral.status'),
          dataIndex: 'status',
          render: (s: string) => (
            <Pill tone={s === 'breached' ? 'red' : s === 'paused' ? 'default' : s === 'met' ? 'green' : 'blue'}>
              {t(`deadlineStatus.${s}`, { defaultValue: s })}
            </Pill>
          ),
        },
        {
          title: t('referral.remaining'),
          render: (_, d) =>
            d.status === 'pending' || d.status === 'paused' || d.status === 'breached' ? (
              <Countdown dueAt={d.dueAt} paused={d.status === 'paused'} />
            ) : (
              '—'
            ),
        },
        { title: t('referral.responsible'), dataIndex: 'responsibleAgencyId', render: (a: string) => agencyName(a) },
        {
          title: t('referral.legalBasis'),
          dataIndex: 'legalBasis',
          ellipsis: { showTitle: true },
          // the API words it in English; Chinese has its own citation per kind (English: the API's)
          render: (v: string, d) => t(`deadlineBasis.${d.kind}`, { defaultValue: '' }) || v,
        },
      ]}
    />
  );
}

interface TimelineProps {
  workflow: string;
  events: TimelineEvent[] | undefined;
  error: unknown;
  verification: Verification | undefined;
  table?: Record<string, Field[]>;
  tasks?: RectificationTask[];
}

/** The timeline with its hash-chain check, each entry's payload in words. */
export function TimelineSection({ workflow, events, error, verification, table, tasks = [] }: TimelineProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const agencyName = useAgencyNames();
  const words = (family: string, value: string) => t(wordKey(workflow, `${family}.${value}`), { defaultValue: value });
  return (
    <Section
      title={t('referral.timeline')}
      extra={
        verification &&
        (verification.valid ? (
          <Pill tone="green" data-testid="verify">
            {t('referral.verified', { events: verification.events })}
          </Pill>
        ) : (
          <Pill tone="red" data-testid="verify">
            {t('referral.broken', { seq: verification.firstBadSeq })}
          </Pill>
        ))
      }
    >
      {!!error && <Alert type="error" title={describeError(error, t)} />}
      <Timeline
        items={(events ?? []).map((e) => ({
          key: e.seq,
          content: (
            <div>
              <div>
                <strong>
                  {e.seq}. {words('event', e.type)}
                </strong>{' '}
                {e.toState && e.fromState !== e.toState && (
                  <Typography.Text type="secondary">
                    {e.fromState ? `${words('state', e.fromState)} → ` : ''}
                    {words('state', e.toState)}
                  </Typography.Text>
                )}
              </div>
              <div>
                <Typography.Text type="secondary">
                  {formatDateTime(e.occurredAt, lang)} · {t('referral.actor')}:{' '}
                  {e.actor.system
                    ? t('referral.system')
                    : // the API names the actor's agency; a person only where it says who
                      [e.actor.displayName ?? e.actor.username, agencyName(e.actor.agencyId)].filter(Boolean).join(' · ')}
                </Typography.Text>
              </div>
              {(e.seq === 1 && e.type === START_EVENTS[workflow] && workflow !== 'referral'
                ? [] // the start's payload is the facts above
                : payloadLines(e.type, e.payload, { t, lang, agencyName, tasks, table })
              ).map(([k, v]) => (
                <div key={k} style={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {k}：{v}
                </div>
              ))}
              <Typography.Text type="secondary" className="caselink-mono" style={{ fontSize: 11 }}>
                {e.hash.slice(0, 16)}
              </Typography.Text>
            </div>
          ),
        }))}
      />
    </Section>
  );
}

type LinkLike = Pick<InstanceLink, 'id' | 'workflow' | 'referenceNo' | 'state' | 'outcome'> &
  Partial<Pick<InstanceLink, 'relation' | 'visible'>>;

/** Related instances: a link with its state where the caller may read it, else the number as plain text. */
export function LinksTable({ links }: { links: LinkLike[] }) {
  const { t } = useTranslation();
  return (
    <Table<LinkLike>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={links}
      locale={{ emptyText: <Typography.Text type="secondary">{t('links.none')}</Typography.Text> }}
      columns={[
        {
          title: t('links.relation'),
          render: (_, l) => t(`links.${l.relation ?? 'case'}.${l.workflow}`, { defaultValue: l.workflow }),
        },
        {
          title: t('queue.referenceNo'),
          render: (_, l) =>
            l.visible === false ? (
              <span>
                {l.referenceNo} <Typography.Text type="secondary">（{t('links.notVisible')}）</Typography.Text>
              </span>
            ) : (
              <Link to={instancePath(l.workflow, l.id)}>{l.referenceNo}</Link>
            ),
        },
        {
          title: t('referral.state'),
          render: (_, l) => (l.state ? <StateTag state={l.state} workflow={l.workflow} /> : '—'),
        },
        {
          title: t('referral.outcome'),
          render: (_, l) => (l.outcome ? t(wordKey(l.workflow, `outcome.${l.outcome}`), { defaultValue: l.outcome }) : '—'),
        },
      ]}
    />
  );
}

/**
 * Sends an event with the version shown (If-Match). If someone else acted first (409/412) the page
 * refreshes and says so; a 400 goes back to the form, which marks its fields.
 */
export function useSendEvent(opts: {
  queryKey: unknown[];
  listKey: unknown[];
  label: (type: string) => string;
  post: (payload: Record<string, unknown>) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: opts.queryKey });
  return async (payload: Record<string, unknown>) => {
    const label = opts.label(String(payload.type));
    try {
      await opts.post(payload);
      void message.success(t('referral.sent', { event: label }));
      await refresh();
      await queryClient.invalidateQueries({ queryKey: opts.listKey });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 412)) {
        await refresh();
        modal.warning({
          title: label,
          content: `${t('referral.conflict', { reason: t(e.status === 412 ? 'referral.conflict412' : 'referral.conflict409') })}${e.problem.detail ? ` (${e.problem.detail})` : ''}`,
        });
        return; // the page now shows what can be done
      }
      if (!(e instanceof ApiError && e.status === 400)) void message.error(describeError(e, t));
      throw e; // the form marks field errors
    }
  };
}
