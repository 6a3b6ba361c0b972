// Form fields every case form has (a referral, an administrative case, a reverse
// transfer): the domain, the title and summary, the campaign code.
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { DOMAINS } from '../api/types';

export function DomainField() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('submit.domain')} name="domain" rules={[{ required: true, message: t('submit.required') }]}>
      <Select options={DOMAINS.map((d) => ({ value: d, label: t(`domain.${d}`) }))} />
    </Form.Item>
  );
}

export function TitleSummaryFields({ rows = 3 }: { rows?: number }) {
  const { t } = useTranslation();
  const required = { required: true, whitespace: true, message: t('submit.required') };
  return (
    <>
      <Form.Item label={t('submit.caseTitle')} name="title" rules={[required, { max: 300 }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t('submit.summary')} name="summary" rules={[required]}>
        <Input.TextArea rows={rows} />
      </Form.Item>
    </>
  );
}

export function CampaignField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={t('submit.campaign')}
      name="campaign"
      extra={t('submit.campaignHelp')}
      rules={[{ pattern: /^[a-z0-9-]{1,64}$/, message: t('submit.campaignHelp') }]}
    >
      <Input placeholder="kunlun-2026" />
    </Form.Item>
  );
}
