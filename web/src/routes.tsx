// The console's pages: one lazily loaded chunk each. Later pages (dashboard,
// admin) slot in here; `nav` puts them in the menu, `roles` limits who sees them.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './api/types';

export interface AppRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** i18n key of the menu entry; no key, no entry */
  nav?: string;
  roles?: Role[];
}

export const routes: AppRoute[] = [
  { path: '/', page: lazy(() => import('./pages/QueuePage')), nav: 'nav.queue' },
  { path: '/referrals/new', page: lazy(() => import('./pages/SubmitPage')), nav: 'nav.submit', roles: ['agency-officer'] },
  { path: '/referrals/:id', page: lazy(() => import('./pages/ReferralPage')) },
  {
    path: '/supervision/overdue',
    page: lazy(() => import('./pages/OverduePage')),
    nav: 'nav.overdue',
    roles: ['procurator', 'supervisor', 'admin'],
  },
  { path: '/account/password', page: lazy(() => import('./pages/PasswordPage')) },
  // Supervision dashboard and administration (issue 8, items 5 and 6)
  {
    path: '/dashboard',
    page: lazy(() => import('./pages/DashboardPage')),
    nav: 'dashboard.nav',
    roles: ['procurator', 'supervisor', 'admin'],
  },
  {
    path: '/manage/agencies',
    page: lazy(() => import('./pages/admin/AgenciesPage')),
    nav: 'admin.nav.agencies',
    roles: ['admin'],
  },
  { path: '/manage/users', page: lazy(() => import('./pages/admin/UsersPage')), nav: 'admin.nav.users', roles: ['admin'] },
  {
    path: '/manage/calendar',
    page: lazy(() => import('./pages/admin/CalendarPage')),
    nav: 'admin.nav.calendar',
    roles: ['admin'],
  },
  { path: '/manage/api-keys', page: lazy(() => import('./pages/admin/ApiKeysPage')), nav: 'admin.nav.apiKeys', roles: ['admin'] },
  {
    path: '/webhooks',
    page: lazy(() => import('./pages/WebhooksPage')),
    nav: 'webhooks.nav',
    roles: ['police-lead', 'agency-officer', 'admin'],
  },
];

export const LoginPage = lazy(() => import('./pages/LoginPage'));
export const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
