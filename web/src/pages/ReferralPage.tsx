// One referral: facts, parties, the statechart, deadlines, tasks, attachments,
// the timeline with its verification, and exactly the actions allowed now.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Descriptions, Result, Row, Select, Space, Table, Typography, Upload } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, call, downloadAttachment, uploadAttachment } from '../api/client';
import { useAgencyNames } from '../api/queries';
import {
  ATTACHMENT_KINDS,
  REVERSIBLE_OUTCOMES,
  type Attachment,
  type Referral,
  type TimelineEvent,
  type Verification,
} from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CaseGroupPanel } from '../components/CaseGroupPanel';
import { EventButton } from '../components/EventForms';
import { ListingSection } from '../components/ListingSection';
import { PageLoading } from '../components/PageLoading';
import { PenaltiesTable } from '../components/Penalties';
import { Pill } from '../components/Pill';
import { DeadlinesTable, LinksTable, PartiesTable, Section, TimelineSection, useSendEvent } from '../components/ProcedureParts';
import { StateTag } from '../components/StateTag';
import { Statechart } from '../components/Statechart';
import { TransferBackButton } from '../components/TransferBack';
import { TransferChecklist, packageOf } from '../components/TransferChecklist';
import { describeError } from '../lib/problems';
import { formatDateTime, formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';

// ECharts comes with the chain only, after the page itself
const ReferralChain = lazy(() => import('../components/ReferralChain'));

export default function ReferralPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const agencyName = useAgencyNames();
  const { user, hasRole } = useAuth();
  const [uploadKind, setUploadKind] = useState<string>('other');
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);

  const referral = useQuery({
    queryKey: ['referral', id],
    queryFn: () => call<Referral>(api.GET('/api/v1/referrals/{id}', { params: { path: { id } } })),
  });
  const timeline = useQuery({
    queryKey: ['referral', id, 'timeline'],
    queryFn: () => call<{ items: TimelineEvent[] }>(api.GET('/api/v1/referrals/{id}/timeline', { params: { path: { id } } })),
    enabled: referral.isSuccess,
  });
  const verify = useQuery({
    queryKey: ['referral', id, 'verify'],
    queryFn: () => call<Verification>(api.GET('/api/v1/referrals/{id}/verify', { params: { path: { id } } })),
    enabled: referral.isSuccess,
  });
  const attachments = useQuery({
    queryKey: ['referral', id, 'attachments'],
    queryFn: () => call<{ items: Attachment[] }>(api.GET('/api/v1/referrals/{id}/attachments', { params: { path: { id } } })),
    enabled: referral.isSuccess,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['referral', id] });

  const send = useSendEvent({
    queryKey: ['referral', id],
    listKey: ['referrals'],
    label: (type) => t(`event.${type}`),
    post: (payload) =>
      call<Referral>(
        api.POST('/api/v1/referrals/{id}/events', {
          params: { path: { id }, header: { 'If-Match': `"${referral.data?.version}"` } as never },
          body: payload as never,
        }),
      ),
  });

  if (referral.isLoading) return <PageLoading />;
  if (referral.error) {
    const notFound = referral.error instanceof ApiError && referral.error.status === 404;
    return (
      <Result status={notFound ? '404' : 'error'} title={notFound ? t('referral.notFound') : describeError(referral.error, t)} />
    );
  }
  const r = referral.data!;

  const upload = async (file: File) => {
    setUploadPercent(0);
    try {
      await uploadAttachment(id, file, uploadKind, setUploadPercent);
      await refresh();
    } catch (e) {
      void message.error(t('submit.uploadFailed', { filename: file.name, reason: describeError(e, t) }));
    } finally {
      setUploadPercent(null);
    }
  };

  const actions = r.allowedEvents;
  // The unit that holds a case it closed without prosecution may send it back for a penalty.
  const mayTransferBack =
    hasRole('police-lead') &&
    user?.agency.id === r.targetAgency.id &&
    r.state === 'closed' &&
    REVERSIBLE_OUTCOMES.includes(r.outcome ?? '');
  return (
    <div>
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {r.title}
        </Typography.Title>
        <StateTag state={r.state} />
        {r.flags.map((f) => (
          <Pill tone="red" key={f}>
            {t(`flag.${f}`, { defaultValue: f })}
          </Pill>
        ))}
      </Space>

      <Section title={t('referral.actionsTitle')}>
        {actions.length === 0 && !mayTransferBack ? (
          <Typography.Text type="secondary">{t('referral.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {actions.map((type) => (
              <EventButton key={`${type}-${r.version}`} type={type} referral={r} onSend={send} />
            ))}
            {mayTransferBack && <TransferBackButton referral={r} />}
          </Space>
        )}
      </Section>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Section title={t('referral.facts')}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
              <Descriptions.Item label={t('referral.referenceNo')}>{r.referenceNo}</Descriptions.Item>
              <Descriptions.Item label={t('referral.state')}>
                {t(`state.${r.state}`)}{' '}
                {r.stateDetail !== r.state && (
                  <Typography.Text type="secondary">
                    （{t(`substate.${r.stateDetail.split('.').pop()}`, { defaultValue: r.stateDetail })}）
                  </Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.domain')}>
                {t(`domain.${r.domain}`, { defaultValue: r.domain })}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.outcome')}>
                {r.outcome ? t(`outcome.${r.outcome}`, { defaultValue: r.outcome }) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.source')}>{r.sourceAgency.name}</Descriptions.Item>
              <Descriptions.Item label={t('referral.target')}>{r.targetAgency.name}</Descriptions.Item>
              {r.formerTargetAgencies.length > 0 && (
                <Descriptions.Item label={t('referral.formerTargets')}>
                  {r.formerTargetAgencies.map((a) => a.name).join(', ')}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('referral.amount')}>
                {r.amountInvolved ? `¥${r.amountInvolved}` : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.campaign')}>{r.campaign ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('referral.offence')}>{r.offence ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('referral.legalBasis')}>{r.legalBasis ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('referral.region')}>{r.regionCode}</Descriptions.Item>
              <Descriptions.Item label={t('referral.adminCase')}>
                {r.adminCaseId ? (
                  <Link to={`/admin-cases/${r.adminCaseId}`}>{r.externalRef ?? t('referral.adminCaseOpen')}</Link>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.version')}>{r.version}</Descriptions.Item>
              <Descriptions.Item label={t('referral.createdAt')}>{formatDateTime(r.createdAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('referral.updatedAt')}>{formatDateTime(r.updatedAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('referral.summary')} span={2}>
                <div style={{ whiteSpace: 'pre-wrap' }}>{r.summary}</div>
              </Descriptions.Item>
            </Descriptions>
          </Section>

          {r.listing && <ListingSection listing={r.listing} deadlines={r.deadlines} events={timeline.data?.items} />}

          <Section title={t('referral.parties')}>
            <PartiesTable parties={r.suspects} />
          </Section>

          <Section title={t('chain.title')}>
            <Suspense fallback={<PageLoading />}>
              <ReferralChain referral={r} />
            </Suspense>
          </Section>

          {(r.links.length > 0 || r.adminCaseId) && (
            <Section title={t('links.title')}>
              <LinksTable links={r.links} />
            </Section>
          )}

          <CaseGroupPanel referral={r} />

          {r.administrativePenalties.length > 0 && (
            <Section title={t('referral.penalties')}>
              <PenaltiesTable penalties={r.administrativePenalties} />
            </Section>
          )}

          <Section title={t('referral.deadlines')}>
            <DeadlinesTable deadlines={r.deadlines} />
          </Section>

          {r.rectificationTasks.length > 0 && (
            <Section title={t('referral.tasks')}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={r.rectificationTasks}
                columns={[
                  { title: t('referral.task'), dataIndex: 'description' },
                  { title: t('referral.agency'), dataIndex: 'agencyId', render: (a: string) => agencyName(a) },
                  { title: t('referral.dueAt'), dataIndex: 'dueAt', render: (v: string) => formatDue(v, lang) },
                  {
                    title: t('referral.status'),
                    dataIndex: 'status',
                    render: (s: string) => (
                      <Pill tone={s === 'done' ? 'green' : 'blue'}>{t(`taskStatus.${s}`, { defaultValue: s })}</Pill>
                    ),
                  },
                ]}
              />
            </Section>
          )}

          <Section
            title={t('referral.attachments')}
            extra={
              <Space wrap>
                <Select
                  aria-label={t('submit.attachmentKind')}
                  size="small"
                  value={uploadKind}
                  onChange={setUploadKind}
                  style={{ width: 200 }}
                  options={ATTACHMENT_KINDS.map((k) => ({ value: k, label: t(`attachmentKind.${k}`) }))}
                />
                <Upload showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
                  <Button size="small" icon={<UploadOutlined />} loading={uploadPercent !== null}>
                    {uploadPercent !== null ? `${uploadPercent}%` : t('referral.upload')}
                  </Button>
                </Upload>
              </Space>
            }
          >
            <Row gutter={16}>
              <Col xs={24} lg={16}>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  scroll={{ x: 500 }}
                  loading={attachments.isLoading}
                  dataSource={attachments.data?.items ?? []}
                  columns={[
                    {
                      title: t('referral.kind'),
                      dataIndex: 'kind',
                      render: (k: string) => t(`attachmentKind.${k}`, { defaultValue: k }),
                    },
                    { title: t('referral.filename'), dataIndex: 'filename' },
                    { title: t('referral.size'), dataIndex: 'size', render: (n: number) => `${(n / 1024).toFixed(1)} KB` },
                    {
                      title: 'SHA-256',
                      dataIndex: 'sha256',
                      render: (h: string) => (
                        <Typography.Text className="caselink-mono" copyable={{ text: h }}>
                          {h.slice(0, 16)}…
                        </Typography.Text>
                      ),
                    },
                    {
                      title: t('common.actions'),
                      render: (_, a) => (
                        <Button
                          size="small"
                          icon={<DownloadOutlined />}
                          aria-label={t('referral.downloadFile', { filename: a.filename })}
                          onClick={() =>
                            void downloadAttachment(id, a.id, a.filename).catch((e) => message.error(describeError(e, t)))
                          }
                        >
                          {t('referral.download')}
                        </Button>
                      ),
                    },
                  ]}
                />
              </Col>
              <Col xs={24} lg={8}>
                <TransferChecklist
                  title={t('referral.transferPackage')}
                  value={r.transferPackage ?? packageOf((attachments.data?.items ?? []).map((a) => a.kind))}
                />
              </Col>
            </Row>
          </Section>
        </Col>

        <Col xs={24} xl={10}>
          <TimelineSection
            workflow="referral"
            events={timeline.data?.items}
            error={timeline.error}
            verification={verify.data}
            tasks={r.rectificationTasks}
          />
        </Col>
      </Row>
      <Section title={t('referral.diagram')}>
        <Statechart stateDetail={r.stateDetail} />
      </Section>
    </div>
  );
}
