// "Transfer back for a penalty" (行刑反向衔接) on a referral the police closed
// without prosecution: the basis, the reasons and the criminal-side decision;
// the case's facts and parties come from the referral (docs/api.md "Reverse transfers").
import { App, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import type { Referral, ReverseTransfer } from '../api/types';
import { ActionDialog } from './ActionDialog';

interface Values {
  basis: 'not-filed' | 'case-withdrawn';
  reasons: string;
  criminalDecisionNo?: string;
}

export function TransferBackButton({ referral }: { referral: Referral }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const required = { required: true, whitespace: true, message: t('submit.required') };

  const submit = async (values: Values) => {
    const created = await call<ReverseTransfer>(
      api.POST('/api/v1/reverse-transfers', {
        body: {
          referralId: referral.id,
          basis: values.basis,
          reasons: values.reasons.trim(),
          ...(values.criminalDecisionNo?.trim() ? { criminalDecisionNo: values.criminalDecisionNo.trim() } : {}),
        },
      }),
    );
    void message.success(t('reverse.created', { referenceNo: created.referenceNo }));
    void navigate(`/reverse-transfers/${created.id}`);
  };

  return (
    <ActionDialog<Values>
      label={t('reverse.transferBack')}
      action="transfer-back"
      fields={['basis', 'reasons', 'criminalDecisionNo']}
      initialValues={{ basis: referral.outcome === 'declined' ? 'not-filed' : 'case-withdrawn' }}
      onSubmit={submit}
    >
      <Form.Item name="basis" label={t('reverse.basis')} rules={[required]}>
        <Radio.Group options={(['not-filed', 'case-withdrawn'] as const).map((b) => ({ value: b, label: t(`basis.${b}`) }))} />
      </Form.Item>
      <Form.Item name="reasons" label={t('reverse.reasons')} rules={[required]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="criminalDecisionNo" label={t('reverse.criminalDecisionNo')}>
        <Input />
      </Form.Item>
    </ActionDialog>
  );
}
