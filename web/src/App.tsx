// Providers (antd locale following the language, server state, session) and the routes table.
import { App as AntApp, ConfigProvider, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api/client';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { AppLayout } from './components/AppLayout';
import { PageLoading } from './components/PageLoading';
import { useLang } from './lib/useLang';
import { LoginPage, NotFoundPage, routes } from './routes';

// antd's default placeholder and secondary greys fall short of WCAG AA contrast: darker ones here.
const THEME = {
  token: {
    colorPrimary: '#1f5fbf',
    colorLink: '#1f5fbf', // antd derives links from colorInfo (#1677ff: 4.1:1 on white), not from the primary colour
    colorTextPlaceholder: '#6e6e6e',
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
  },
};

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function RequireUser({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const location = useLocation();
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <AppLayout>{children}</AppLayout>;
}

export function App() {
  const lang = useLang();
  const { t } = useTranslation();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={THEME}
      // antd's empty state is in the disabled grey, below contrast minimums
      renderEmpty={() => <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  <Route path="/login" element={<LoginPage />} />
                  {routes.map(({ path, page: Page }) => (
                    <Route
                      key={path}
                      path={path}
                      element={
                        <RequireUser>
                          <Page />
                        </RequireUser>
                      }
                    />
                  ))}
                  <Route
                    path="*"
                    element={
                      <RequireUser>
                        <NotFoundPage />
                      </RequireUser>
                    }
                  />
                </Routes>
              </Suspense>
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
