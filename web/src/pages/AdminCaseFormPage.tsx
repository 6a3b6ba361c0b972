// Record an administrative case (agency officer): the facts the screening reads,
// the penalty imposed, the parties; screened on save against the rules in force
// on the act date. Quantities and prior penalties come by import (CSV/NDJSON).
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, call } from '../api/client';
import { FINDINGS, PENALTY_KINDS, type AdminCase, type NewAdminCase, type Suspect } from '../api/types';
import { DomainField, TitleSummaryFields, CampaignField } from '../components/CaseFields';
import { PartiesFields, partiesOf } from '../components/PartiesFields';
import { applyFieldErrors, describeError } from '../lib/problems';

const AMOUNTS = ['salesAmount', 'goodsValue', 'illegalGains', 'illegalBusinessVolume', 'resourceValue'] as const;
const MONEY = { pattern: /^\d{1,14}(\.\d{1,2})?$/ };

interface Values {
  caseNo: string;
  domain: NewAdminCase['domain'];
  title: string;
  summary: string;
  parties: Suspect[];
  facts: Partial<Record<(typeof AMOUNTS)[number], string>> & { findings?: NewAdminCase['facts']['findings'] };
  penalty: { decisionNo: string; decidedAt: Dayjs; kinds: NewAdminCase['penalty']['kinds']; fineAmount?: string };
  actDate?: Dayjs;
  campaign?: string;
}

const blank = (v?: string) => (v && v.trim() ? v.trim() : undefined);
const FIELDS = [
  'caseNo',
  'domain',
  'title',
  'summary',
  'parties',
  'actDate',
  'campaign',
  ...AMOUNTS.map((a) => `facts.${a}`),
  'penalty.decisionNo',
  'penalty.decidedAt',
  'penalty.kinds',
  'penalty.fineAmount',
];

export default function AdminCaseFormPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kinds = Form.useWatch(['penalty', 'kinds'], form) ?? [];

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const facts = Object.fromEntries(AMOUNTS.map((a) => [a, blank(v.facts?.[a])]).filter(([, x]) => x));
      const created = await call<AdminCase>(
        api.POST('/api/v1/admin-cases', {
          body: {
            caseNo: v.caseNo.trim(),
            domain: v.domain,
            title: v.title.trim(),
            summary: v.summary.trim(),
            parties: partiesOf(v.parties),
            facts: { ...facts, ...(v.facts?.findings?.length ? { findings: v.facts.findings } : {}) },
            penalty: {
              decisionNo: v.penalty.decisionNo.trim(),
              decidedAt: v.penalty.decidedAt.format('YYYY-MM-DD'),
              kinds: v.penalty.kinds,
              ...(blank(v.penalty.fineAmount) ? { fineAmount: v.penalty.fineAmount!.trim() } : {}),
            },
            ...(v.actDate ? { actDate: v.actDate.format('YYYY-MM-DD') } : {}),
            ...(blank(v.campaign) ? { campaign: v.campaign!.trim() } : {}),
          },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['admin-cases'] });
      void message.success(t('cases.recorded', { caseNo: created.caseNo }));
      void navigate(`/admin-cases/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        form.setFields([{ name: 'caseNo', errors: [e.problem.detail ?? t('cases.duplicate')] }]);
        setError(t('submit.fixErrors'));
      } else if (e instanceof ApiError && e.status === 400) {
        // `penalty.decidedAt` → the nested field; what names no field of the form is said above the button
        const rest = applyFieldErrors(form, e, (path) => FIELDS.includes(path.join('.')) || path[0] === 'parties');
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
        {t('cases.newTitle')}
      </Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        onFinishFailed={() => setError(t('submit.fixErrors'))}
        initialValues={{ parties: [{ kind: 'organization', name: '' }], penalty: { kinds: ['fine'] } }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('cases.caseNo')} name="caseNo" rules={[required]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <DomainField />
          </Col>
        </Row>
        <TitleSummaryFields />
        <PartiesFields name="parties" legend={t('cases.parties')} />

        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, marginBottom: 8 }}>{t('cases.factsLegend')}</legend>
          <Row gutter={16}>
            {AMOUNTS.map((a) => (
              <Col xs={24} sm={12} md={6} key={a}>
                <Form.Item
                  label={t(`cases.fact.${a}`)}
                  name={['facts', a]}
                  rules={[{ ...MONEY, message: t('submit.badAmount') }]}
                >
                  <Input inputMode="decimal" />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item label={t('cases.findings')} name={['facts', 'findings']}>
            <Select mode="multiple" options={FINDINGS.map((f) => ({ value: f, label: t(`finding.${f}`) }))} />
          </Form.Item>
        </fieldset>

        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, marginBottom: 8 }}>{t('cases.penalty')}</legend>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label={t('penalty.decisionNo')} name={['penalty', 'decisionNo']} rules={[required]}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                label={t('penalty.decidedAt')}
                name={['penalty', 'decidedAt']}
                rules={[{ required: true, message: t('submit.required') }]}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                label={t('penalty.fineAmount')}
                name={['penalty', 'fineAmount']}
                rules={[
                  { ...MONEY, message: t('submit.badAmount') },
                  { required: kinds.includes('fine'), message: t('submit.required') },
                ]}
              >
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            label={t('penalty.kinds')}
            name={['penalty', 'kinds']}
            rules={[{ required: true, message: t('submit.required') }]}
          >
            <Select mode="multiple" options={PENALTY_KINDS.map((k) => ({ value: k, label: t(`penaltyKind.${k}`) }))} />
          </Form.Item>
        </fieldset>

        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('cases.actDate')} name="actDate" extra={t('cases.actDateHelp')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <CampaignField />
          </Col>
        </Row>

        {error && <Alert type="error" showIcon title={error} style={{ margin: '16px 0' }} role="alert" />}
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          {t('cases.save')}
        </Button>
      </Form>
    </Card>
  );
}
