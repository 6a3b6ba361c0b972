// Sign in; the API's own message for a refused sign-in or too many attempts.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { LanguageSelect } from '../components/LanguageSelect';
import { describeError } from '../lib/problems';

/** Only paths inside the console: ?next= must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { user, signIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (user) return <Navigate to={next} replace />;

  const onFinish = async ({ username, password }: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        const detail = e.problem.detail;
        setError(
          detail
            ? `${t('login.rateLimited', { seconds: e.problem.retryAfterSeconds ?? 60 })} (${detail})`
            : t('login.rateLimited', { seconds: e.problem.retryAfterSeconds ?? 60 }),
        );
      } else if (e instanceof ApiError && e.status === 401) {
        setError(e.problem.detail ? `${t('login.failed')}: ${e.problem.detail}` : t('login.failed'));
      } else setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16, background: '#f0f2f5' }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <LanguageSelect />
        </div>
        {params.get('expired') && !error && (
          <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
