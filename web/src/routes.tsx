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
];

export const LoginPage = lazy(() => import('./pages/LoginPage'));
export const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
