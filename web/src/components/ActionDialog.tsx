// A button that opens a small form in a dialog and sends it (issue a recommendation,
// transfer a referral back): field errors of a 400 on the fields they name, any
// other refusal as a message; the dialog closes once the action succeeded.
import { App, Button, Form, Modal } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { applyFieldErrors, describeError } from '../lib/problems';

interface Props<V> {
  label: string;
  /** data-action of the button (what the browser tests press) */
  action: string;
  primary?: boolean;
  initialValues?: Partial<V>;
  /** the form's field names: a 400 naming one marks it */
  fields: string[];
  onSubmit: (values: V) => Promise<void>;
  children: ReactNode;
}

export function ActionDialog<V extends object>({ label, action, primary, initialValues, fields, onSubmit, children }: Props<V>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<V>();

  const send = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setBusy(true);
    try {
      await onSubmit(values);
      setOpen(false);
    } catch (e) {
      const rest = applyFieldErrors(form, e, ([f]) => fields.includes(String(f)));
      if (!(e instanceof ApiError && e.status === 400) || rest.length) void message.error(rest.join('; ') || describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button type={primary ? 'primary' : 'default'} onClick={() => setOpen(true)} data-action={action}>
        {label}
      </Button>
      <Modal
        title={label}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void send()}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" preserve={false} name={action} initialValues={initialValues}>
          {children}
        </Form>
      </Modal>
    </>
  );
}
