// One administrative case: its facts and penalty, the screening with its reasons
// (a sentence each), the recommendations and referrals that followed, and for a
// procurator the action to issue a recommendation to transfer it.
import { useQuery } from '@tanstack/react-query';
import { App, Col, Descriptions, Form, Input, Result, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, call } from '../api/client';
import type { AdminCase, Recommendation } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ActionDialog } from '../components/ActionDialog';
import { PageLoading } from '../components/PageLoading';
import { PenaltiesTable, penaltyKinds } from '../components/Penalties';
import { LinksTable, PartiesTable, Section } from '../components/ProcedureParts';
import { ScreeningFlag } from '../components/Screening';
import { describeError } from '../lib/problems';
import { formatDate, formatDateTime } from '../lib/time';
import { useLang } from '../lib/useLang';

const FACTS = ['salesAmount', 'goodsValue', 'illegalGains', 'illegalBusinessVolume', 'resourceValue'] as const;

function IssueRecommendation({ adminCase }: { adminCase: AdminCase }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const submit = async (values: { reasons: string }) => {
    try {
      const created = await call<Recommendation>(
        api.POST('/api/v1/recommendations', { body: { adminCaseId: adminCase.id, reasons: values.reasons.trim() } }),
      );
      void message.success(t('rec.issued', { referenceNo: created.referenceNo }));
      void navigate(`/recommendations/${created.id}`);
    } catch (e) {
      // ALREADY_EXISTS names the open recommendation
      const existingId = e instanceof ApiError && e.status === 409 ? e.problem.existingId : undefined;
      if (!existingId) throw e;
      void message.warning(t('rec.alreadyOpen'));
      void navigate(`/recommendations/${existingId}`);
    }
  };

  return (
    <ActionDialog<{ reasons: string }>
      label={t('rec.issue')}
      action="issue-recommendation"
      primary
      fields={['reasons']}
      onSubmit={submit}
    >
      <Form.Item
        name="reasons"
        label={t('rec.reasonsLabel')}
        rules={[
          { required: true, whitespace: true, message: t('submit.required') },
          { min: 10, message: t('form.minChars', { n: 10 }) },
        ]}
      >
        <Input.TextArea rows={4} />
      </Form.Item>
    </ActionDialog>
  );
}

export default function AdminCasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { hasRole } = useAuth();
  const query = useQuery({
    queryKey: ['admin-cases', id],
    queryFn: () => call<AdminCase>(api.GET('/api/v1/admin-cases/{id}', { params: { path: { id } } })),
  });

  if (query.isLoading) return <PageLoading />;
  if (query.error) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={notFound ? t('cases.notFound') : describeError(query.error, t)} />;
  }
  const c = query.data!;
  const open = c.links.some((l) => l.workflow === 'transfer-recommendation' && !l.outcome);

  return (
    <div>
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {c.title}
        </Typography.Title>
        <ScreeningFlag flag={c.screening.flag} />
      </Space>

      {hasRole('procurator') && (
        <Section title={t('referral.actionsTitle')}>
          {open ? (
            <Typography.Text type="secondary">{t('rec.openOnCase')}</Typography.Text>
          ) : (
            <IssueRecommendation adminCase={c} />
          )}
        </Section>
      )}

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Section title={t('referral.facts')}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
              <Descriptions.Item label={t('cases.caseNo')}>{c.caseNo}</Descriptions.Item>
              <Descriptions.Item label={t('referral.domain')}>
                {t(`domain.${c.domain}`, { defaultValue: c.domain })}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.agency')}>{c.agency.name}</Descriptions.Item>
              <Descriptions.Item label={t('referral.region')}>{c.regionCode}</Descriptions.Item>
              <Descriptions.Item label={t('cases.actDate')}>{formatDate(c.actDate, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('referral.campaign')}>{c.campaign ?? '—'}</Descriptions.Item>
              {FACTS.map((f) => (
                <Descriptions.Item key={f} label={t(`cases.fact.${f}`)}>
                  {c.facts[f] ? `¥${c.facts[f]}` : '—'}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('cases.findings')}>
                {(c.facts.findings ?? []).map((f) => t(`finding.${f}`, { defaultValue: f })).join('、') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.quantities')}>
                {(c.facts.quantities ?? []).map((q) => `${q.item} ${q.amount} ${q.unit}`).join('；') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('referral.version')}>{c.version}</Descriptions.Item>
              <Descriptions.Item label={t('referral.updatedAt')}>{formatDateTime(c.updatedAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('referral.summary')} span={2}>
                <div style={{ whiteSpace: 'pre-wrap' }}>{c.summary}</div>
              </Descriptions.Item>
            </Descriptions>
          </Section>

          <Section title={t('cases.penalty')}>
            <PenaltiesTable penalties={[c.penalty]} />
          </Section>

          {c.priorPenalties.length > 0 && (
            <Section title={t('cases.priorPenalties')}>
              <Table
                size="small"
                rowKey={(_, i) => String(i)}
                pagination={false}
                dataSource={c.priorPenalties}
                columns={[
                  { title: t('penalty.decidedAt'), dataIndex: 'decidedAt', render: (v: string) => formatDate(v, lang) },
                  { title: t('referral.domain'), dataIndex: 'domain', render: (d: string) => t(`domain.${d}`) },
                  { title: t('penalty.decisionNo'), dataIndex: 'decisionNo', render: (v?: string) => v ?? '—' },
                  { title: t('penalty.kinds'), dataIndex: 'kinds', render: (k?: string[]) => penaltyKinds(k ?? [], t) },
                ]}
              />
            </Section>
          )}

          <Section title={t('referral.parties')}>
            <PartiesTable parties={c.parties} />
          </Section>
        </Col>
        <Col xs={24} xl={10}>
          <Section title={t('screening.title')}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <span>
                <ScreeningFlag flag={c.screening.flag} />{' '}
                {c.screening.screenedAt && (
                  <Typography.Text type="secondary">
                    {t('screening.screenedAt', { at: formatDateTime(c.screening.screenedAt, lang) })}
                  </Typography.Text>
                )}
              </span>
              {c.screening.reasons.length === 0 ? (
                <Typography.Text type="secondary">{t('screening.noReasons')}</Typography.Text>
              ) : (
                <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="screening-reasons">
                  {c.screening.reasons.map((r) => (
                    <li key={`${r.rule}-${r.version}`}>
                      {t(`screening.${r.outcome}`)}：{r.text}
                    </li>
                  ))}
                </ul>
              )}
            </Space>
          </Section>
          <Section title={t('links.title')}>
            <LinksTable links={c.links} />
          </Section>
        </Col>
      </Row>
    </div>
  );
}
