// Transfer a case (agency officer): the referral first, then each document by
// kind with its upload progress, then the referral page.
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Progress, Row, Select, Space, Typography, Upload } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, call, uploadAttachment } from '../api/client';
import { ATTACHMENT_KINDS, type Referral, type Suspect } from '../api/types';
import { AgencySelect } from '../components/AgencySelect';
import { DomainField, CampaignField } from '../components/CaseFields';
import { PartiesFields, partiesOf } from '../components/PartiesFields';
import { TransferChecklist, packageOf } from '../components/TransferChecklist';
import { applyFieldErrors, describeError } from '../lib/problems';

interface Doc {
  kind: string;
  file?: File;
}

interface Values {
  targetAgencyId: string;
  domain: string;
  title: string;
  summary: string;
  suspects: Suspect[];
  amountInvolved?: string;
  offence?: string;
  legalBasis?: string;
  campaign?: string;
  externalRef?: string;
  documents?: Doc[];
}

const FIELDS = new Set([
  'targetAgencyId',
  'domain',
  'title',
  'summary',
  'suspects',
  'amountInvolved',
  'offence',
  'legalBasis',
  'campaign',
  'externalRef',
]);
const blankToUndefined = (v?: string) => (v && v.trim() ? v.trim() : undefined);

export default function SubmitPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ name: string; percent: number; failed?: boolean }[]>([]);
  const documents = Form.useWatch('documents', form) ?? [];

  const onFinish = async (values: Values) => {
    setBusy(true);
    setError(null);
    let created: Referral;
    try {
      created = await call<Referral>(
        api.POST('/api/v1/referrals', {
          body: {
            targetAgencyId: values.targetAgencyId,
            domain: values.domain,
            title: values.title.trim(),
            summary: values.summary.trim(),
            suspects: partiesOf(values.suspects),
            amountInvolved: blankToUndefined(values.amountInvolved),
            offence: blankToUndefined(values.offence),
            legalBasis: blankToUndefined(values.legalBasis),
            campaign: blankToUndefined(values.campaign),
            externalRef: blankToUndefined(values.externalRef),
          } as never,
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      );
    } catch (e) {
      const rest = applyFieldErrors(form, e, ([first]) => FIELDS.has(String(first)));
      if (e instanceof ApiError && e.status === 400) setError(rest.length ? rest.join('; ') : t('submit.fixErrors'));
      else setError(describeError(e, t));
      setBusy(false);
      return;
    }
    const docs = (values.documents ?? []).filter((d) => d.file);
    setProgress(docs.map((d) => ({ name: d.file!.name, percent: 0 })));
    const failures: string[] = [];
    for (const [i, d] of docs.entries()) {
      try {
        await uploadAttachment(created.id, d.file!, d.kind, (percent) =>
          setProgress((p) => p.map((x, j) => (j === i ? { ...x, percent } : x))),
        );
      } catch (e) {
        setProgress((p) => p.map((x, j) => (j === i ? { ...x, failed: true } : x)));
        failures.push(t('submit.uploadFailed', { filename: d.file!.name, reason: describeError(e, t) }));
      }
    }
    await queryClient.invalidateQueries({ queryKey: ['referrals'] });
    failures.forEach((f) => void message.error(f));
    void message.success(t('submit.created', { referenceNo: created.referenceNo }));
    navigate(`/referrals/${created.id}`);
  };

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('submit.title')}
      </Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onFinishFailed={() => setError(t('submit.fixErrors'))}
        initialValues={{ suspects: [{ kind: 'organization', name: '' }], documents: [{ kind: 'transfer-letter' }] }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label={t('submit.target')}
              name="targetAgencyId"
              rules={[{ required: true, message: t('submit.required') }]}
            >
              <AgencySelect kind="police" placeholder={t('submit.targetPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <DomainField />
          </Col>
        </Row>
        <Form.Item
          label={t('submit.caseTitle')}
          name="title"
          rules={[{ required: true, whitespace: true, message: t('submit.required') }, { max: 300 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          label={t('submit.summary')}
          name="summary"
          rules={[{ required: true, whitespace: true, message: t('submit.required') }]}
        >
          <Input.TextArea rows={4} />
        </Form.Item>

        <PartiesFields name="suspects" legend={t('submit.suspects')} />

        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('submit.amount')}
              name="amountInvolved"
              rules={[{ pattern: /^\d{1,14}(\.\d{1,2})?$/, message: t('submit.badAmount') }]}
            >
              <Input inputMode="decimal" placeholder="182000.00" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('submit.offence')} name="offence">
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <CampaignField />
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item label={t('submit.legalBasis')} name="legalBasis">
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('submit.externalRef')} name="externalRef">
              <Input />
            </Form.Item>
          </Col>
        </Row>

        <Row gutter={16}>
          <Col xs={24} md={16}>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 600, marginBottom: 8 }}>{t('submit.attachments')}</legend>
              <Form.List name="documents">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field, i) => (
                      <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                        <Form.Item
                          label={t('submit.attachmentKind')}
                          name={[field.name, 'kind']}
                          rules={[{ required: true }]}
                          style={{ marginBottom: 0 }}
                        >
                          <Select
                            style={{ width: 220 }}
                            options={ATTACHMENT_KINDS.map((k) => ({ value: k, label: t(`attachmentKind.${k}`) }))}
                          />
                        </Form.Item>
                        <Form.Item
                          label={t('submit.chooseFile')}
                          name={[field.name, 'file']}
                          valuePropName="file"
                          getValueFromEvent={(e: { file: File; fileList: unknown[] }) => (e.fileList.length ? e.file : undefined)}
                          style={{ marginBottom: 0 }}
                        >
                          <Upload
                            beforeUpload={() => false}
                            maxCount={1}
                            accept=".pdf,.ofd,.jpg,.jpeg,.png,.csv,.xls,.xlsx,.doc,.docx,.txt"
                          >
                            <Button icon={<UploadOutlined />}>{t('submit.chooseFile')}</Button>
                          </Upload>
                        </Form.Item>
                        <Form.Item label={<span className="sr-only">{t('common.remove')}</span>} style={{ marginBottom: 0 }}>
                          <Button
                            icon={<DeleteOutlined />}
                            aria-label={`${t('common.remove')} ${i + 1}`}
                            onClick={() => remove(field.name)}
                          />
                        </Form.Item>
                      </Space>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'investigation-report' })}>
                      {t('submit.addAttachment')}
                    </Button>
                  </>
                )}
              </Form.List>
              {progress.map((p) => (
                <div key={p.name}>
                  <span>{p.name}</span>
                  <Progress
                    percent={p.percent}
                    status={p.failed ? 'exception' : p.percent === 100 ? 'success' : 'active'}
                    aria-label={p.name}
                  />
                </div>
              ))}
            </fieldset>
          </Col>
          <Col xs={24} md={8}>
            <TransferChecklist
              title={t('submit.checklist')}
              value={packageOf(documents.filter((d) => d?.file).map((d) => d.kind))}
            />
          </Col>
        </Row>

        {error && <Alert type="error" showIcon title={error} style={{ margin: '16px 0' }} role="alert" />}
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          {busy && progress.length ? t('submit.uploading') : t('submit.send')}
        </Button>
      </Form>
    </Card>
  );
}
