// "Transfer back for a penalty" (行刑反向衔接) on a referral the police closed
// without prosecution: the basis, the reasons and the criminal-side decision;
// the case's facts and parties come from the referral (docs/api.md "Reverse transfers").
import { App, Button, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, call } from '../api/client';
import type { Referral, ReverseTransfer } from '../api/types';
import { applyFieldErrors, describeError } from '../lib/problems';

const FIELDS = ['basis', 'reasons', 'criminalDecisionNo'];

export function TransferBackButton({ referral }: { referral: Referral }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const required = { required: true, whitespace: true, message: t('submit.required') };

  const send = async () => {
    let values: { basis: 'not-filed' | 'case-withdrawn'; reasons: string; criminalDecisionNo?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
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
      setOpen(false);
      void message.success(t('reverse.created', { referenceNo: created.referenceNo }));
      void navigate(`/reverse-transfers/${created.id}`);
    } catch (e) {
      const rest = applyFieldErrors(form, e, ([f]) => FIELDS.includes(String(f)));
      if (!(e instanceof ApiError && e.status === 400) || rest.length) void message.error(rest.join('; ') || describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-action="transfer-back">
        {t('reverse.transferBack')}
      </Button>
      <Modal
        title={t('reverse.transferBack')}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void send()}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          name="transfer-back"
          initialValues={{ basis: referral.outcome === 'declined' ? 'not-filed' : 'case-withdrawn' }}
        >
          <Form.Item name="basis" label={t('reverse.basis')} rules={[required]}>
            <Radio.Group
              options={(['not-filed', 'case-withdrawn'] as const).map((b) => ({ value: b, label: t(`basis.${b}`) }))}
            />
          </Form.Item>
          <Form.Item name="reasons" label={t('reverse.reasons')} rules={[required]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="criminalDecisionNo" label={t('reverse.criminalDecisionNo')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
