// Change one's own password: the API answers with a new token (the old ones stop working).
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { LoginResult } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { applyFieldErrors, describeError } from '../lib/problems';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function PasswordPage() {
  const { t } = useTranslation();
  const { replaceToken } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ currentPassword, newPassword }: Values) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call<Partial<LoginResult>>(
        api.POST('/api/v1/auth/password' as never, { body: { currentPassword, newPassword } } as never),
      );
      if (result?.accessToken) replaceToken(result.accessToken, result.user);
      form.resetFields();
      void message.success(t('password.done'));
    } catch (e) {
      const rest = applyFieldErrors(form, e, ([f]) => f === 'currentPassword' || f === 'newPassword');
      setError(rest.length ? rest.join('; ') : describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 480 }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('password.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item
          label={t('password.current')}
          name="currentPassword"
          rules={[{ required: true, message: t('submit.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label={t('password.next')}
          name="newPassword"
          rules={[{ required: true, min: 12, message: t('password.tooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('password.confirm')}
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('submit.required') },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
