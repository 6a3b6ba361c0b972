// A procuratorate sends a case it decided not to prosecute back to an
// administrative agency, with its procuratorial opinion recommending a penalty
// (basis not-prosecuted; docs/api.md "Reverse transfers"). The police start one
// from their closed referral instead (the referral page's action).
import { Alert, App, Button, Card, Col, Form, Input, Row, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, call } from '../api/client';
import { type NewReverseTransfer, type ReverseTransfer, type Suspect } from '../api/types';
import { AgencySelect } from '../components/AgencySelect';
import { DomainField, TitleSummaryFields } from '../components/CaseFields';
import { PartiesFields, partiesOf } from '../components/PartiesFields';
import { applyFieldErrors, describeError } from '../lib/problems';

interface Values {
  targetAgencyId: string;
  domain: NewReverseTransfer['domain'];
  title: string;
  summary: string;
  parties: Suspect[];
  reasons: string;
  opinion: string;
  criminalDecisionNo?: string;
}
const FIELDS = ['targetAgencyId', 'domain', 'title', 'summary', 'parties', 'reasons', 'opinion', 'criminalDecisionNo'];

export default function ReverseTransferStartPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const created = await call<ReverseTransfer>(
        api.POST('/api/v1/reverse-transfers', {
          body: {
            basis: 'not-prosecuted',
            targetAgencyId: v.targetAgencyId,
            domain: v.domain,
            title: v.title.trim(),
            summary: v.summary.trim(),
            parties: partiesOf(v.parties),
            reasons: v.reasons.trim(),
            opinion: v.opinion.trim(),
            ...(v.criminalDecisionNo?.trim() ? { criminalDecisionNo: v.criminalDecisionNo.trim() } : {}),
          },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['reverse-transfer', 'list'] });
      void message.success(t('reverse.created', { referenceNo: created.referenceNo }));
      void navigate(`/reverse-transfers/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const rest = applyFieldErrors(form, e, (path) => FIELDS.includes(String(path[0])));
        setError(rest.length ? rest.join('; ') : t('submit.fixErrors'));
      } else setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, whitespace: true, message: t('submit.required') };
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('reverse.startTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('reverse.startHelp')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        onFinishFailed={() => setError(t('submit.fixErrors'))}
        initialValues={{ parties: [{ kind: 'organization', name: '' }] }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label={t('reverse.targetAgency')}
              name="targetAgencyId"
              rules={[{ required: true, message: t('submit.required') }]}
            >
              <AgencySelect kind="regulator" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <DomainField />
          </Col>
        </Row>
        <TitleSummaryFields />
        <PartiesFields name="parties" legend={t('cases.parties')} />
        <Form.Item label={t('reverse.reasons')} name="reasons" rules={[required]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={t('reverse.opinion')} name="opinion" rules={[required]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={t('reverse.criminalDecisionNo')} name="criminalDecisionNo">
          <Input />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ margin: '16px 0' }} role="alert" />}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('reverse.send')}
        </Button>
      </Form>
    </Card>
  );
}
