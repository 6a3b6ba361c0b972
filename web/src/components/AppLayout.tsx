// The frame of every signed-in page: menu, language, notifications, account.
import { DownOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Space, Typography, theme } from 'antd';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { routes } from '../routes';
import { LanguageSelect } from './LanguageSelect';
import { NotificationsBell } from './Notifications';
import { PageLoading } from './PageLoading';

/** Bull Board is a page of its own: the API sets a short-lived cookie for it, then it opens in a new tab. */
async function openQueueBoard(): Promise<void> {
  const tab = window.open('about:blank', '_blank');
  await call(api.POST('/api/v1/queue-board/session'));
  if (tab) tab.location.href = '/admin/queues';
  else window.location.href = '/admin/queues';
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user, signOut, hasRole } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const wide = Grid.useBreakpoint().md ?? true;
  const items = routes
    .filter((r) => r.nav && (!r.roles || hasRole(...r.roles)))
    .map((r) => ({ key: r.path, label: <Link to={r.path}>{t(r.nav!)}</Link> }));
  const selected = routes.filter((r) => r.nav && r.path === location.pathname).map((r) => r.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          paddingInline: 16,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Link to="/" style={{ fontWeight: 600, whiteSpace: 'nowrap', color: token.colorText }}>
          {t('app.short')}
        </Link>
        <nav aria-label={t('nav.menu')} style={{ flex: 1, minWidth: 0 }}>
          {wide ? (
            <Menu mode="horizontal" selectedKeys={selected} items={items} style={{ borderBottom: 'none' }} />
          ) : (
            // Phone width: one menu button (the horizontal menu would hide entries it still lets you tab to)
            <Dropdown menu={{ items, selectedKeys: selected }} trigger={['click']}>
              <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} />
            </Dropdown>
          )}
        </nav>
        <Space size="small">
          <LanguageSelect />
          <NotificationsBell />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'password', label: t('nav.password'), onClick: () => navigate('/account/password') },
                ...(hasRole('admin') ? [{ key: 'queues', label: t('nav.queues'), onClick: () => void openQueueBoard() }] : []),
                { key: 'signout', label: t('nav.signOut'), onClick: () => void signOut() },
              ],
            }}
          >
            <Button type="text" aria-label={t('nav.account')} icon={<UserOutlined />}>
              <span className="caselink-user-name">{user?.displayName}</span> <DownOutlined />
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        <main>
          <Suspense fallback={<PageLoading />}>{children}</Suspense>
        </main>
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', padding: 12 }}>
        <Typography.Text type="secondary">
          {t('app.name')} · {user?.agency.name}
        </Typography.Text>
      </Layout.Footer>
    </Layout>
  );
}
