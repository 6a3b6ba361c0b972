// One recommendation or reverse transfer: the same page as a referral's, with
// the workflow's own facts and record, its links (the administrative case, the
// referral it led to or came from), and exactly the actions allowed now.
import { useQuery } from '@tanstack/react-query';
import { Col, Descriptions, Result, Row, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { INSTANCE_CALLS, type InstanceWorkflow } from '../api/instances';
import type { Instance } from '../api/types';
import { describeError } from '../lib/problems';
import { formatDateTime } from '../lib/time';
import { useLang } from '../lib/useLang';
import { wordKey } from '../lib/workflows';
import { WORKFLOW_FIELDS } from './event-fields';
import { EventButton } from './EventForms';
import { PageLoading } from './PageLoading';
import { Pill } from './Pill';
import { DeadlinesTable, LinksTable, PartiesTable, Section, TimelineSection, useSendEvent } from './ProcedureParts';
import { StateTag } from './StateTag';
import { Statechart } from './Statechart';

export type Item = [label: string, value: ReactNode];

interface Props<T extends Instance> {
  workflow: InstanceWorkflow;
  /** What the instance started with, beyond the common fields. */
  facts: (instance: T) => Item[];
  /** What the procedure recorded since. */
  record: (instance: T) => Item[];
}

function Items({ items }: { items: Item[] }) {
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
      {items.map(([label, value]) => (
        <Descriptions.Item key={label} label={label} span={typeof value === 'string' && value.length > 40 ? 2 : 1}>
          <div style={{ whiteSpace: 'pre-wrap' }}>{value}</div>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function InstanceView<T extends Instance>({ workflow, facts, record }: Props<T>) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const calls = INSTANCE_CALLS[workflow];
  const words = (key: string, value: string) => t(wordKey(workflow, `${key}.${value}`), { defaultValue: value });

  const instance = useQuery({ queryKey: [workflow, id], queryFn: () => calls.read(id) as Promise<T> });
  const timeline = useQuery({
    queryKey: [workflow, id, 'timeline'],
    queryFn: () => calls.timeline(id),
    enabled: instance.isSuccess,
  });
  const verify = useQuery({ queryKey: [workflow, id, 'verify'], queryFn: () => calls.verify(id), enabled: instance.isSuccess });
  const send = useSendEvent({
    queryKey: [workflow, id],
    listKey: [workflow, 'list'],
    label: (type) => words('event', type),
    post: (payload) => calls.send(id, instance.data?.version ?? 0, payload),
  });

  if (instance.isLoading) return <PageLoading />;
  if (instance.error) {
    const notFound = instance.error instanceof ApiError && instance.error.status === 404;
    return (
      <Result status={notFound ? '404' : 'error'} title={notFound ? t('referral.notFound') : describeError(instance.error, t)} />
    );
  }
  const r = instance.data!;
  const table = WORKFLOW_FIELDS[workflow];

  return (
    <div>
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {r.title}
        </Typography.Title>
        <StateTag state={r.state} workflow={workflow} />
        {r.flags.map((f) => (
          <Pill tone="red" key={f}>
            {t(`flag.${f}`, { defaultValue: f })}
          </Pill>
        ))}
      </Space>

      <Section title={t('referral.actionsTitle')}>
        {r.allowedEvents.length === 0 ? (
          <Typography.Text type="secondary">{t('referral.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {r.allowedEvents.map((type) => (
              <EventButton key={`${type}-${r.version}`} type={type} table={table} label={words('event', type)} onSend={send} />
            ))}
          </Space>
        )}
      </Section>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Section title={t('referral.facts')}>
            <Items
              items={[
                [t('referral.referenceNo'), r.referenceNo],
                [t('referral.state'), words('state', r.state)],
                [t('referral.outcome'), r.outcome ? words('outcome', r.outcome) : '—'],
                [t('referral.domain'), t(`domain.${r.domain}`, { defaultValue: r.domain })],
                [t('instance.source'), r.sourceAgency.name],
                [t('instance.target'), r.targetAgency.name],
                [t('referral.region'), r.regionCode],
                [t('referral.version'), String(r.version)],
                [t('instance.createdAt'), formatDateTime(r.createdAt, lang)],
                [t('referral.updatedAt'), formatDateTime(r.updatedAt, lang)],
                ...facts(r as T),
                [t('referral.summary'), r.summary],
              ]}
            />
          </Section>

          <Section title={t('instance.record')}>
            <Items items={record(r as T)} />
          </Section>

          <Section title={t('links.title')}>
            {r.adminCaseId && (
              <p>
                {t('links.adminCase')}：<Link to={`/admin-cases/${r.adminCaseId}`}>{t('links.openAdminCase')}</Link>
              </p>
            )}
            <LinksTable links={r.links} />
          </Section>

          <Section title={t('referral.parties')}>
            <PartiesTable parties={r.parties} />
          </Section>

          <Section title={t('referral.deadlines')}>
            <DeadlinesTable deadlines={r.deadlines} />
          </Section>
        </Col>

        <Col xs={24} xl={10}>
          <TimelineSection
            workflow={workflow}
            events={timeline.data?.items}
            error={timeline.error}
            verification={verify.data}
            table={table}
          />
        </Col>
      </Row>
      <Section title={t('referral.diagram')}>
        <Statechart stateDetail={r.stateDetail} workflow={workflow} />
      </Section>
    </div>
  );
}
