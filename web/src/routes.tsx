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

const REGION: Role[] = ['procurator', 'supervisor'];

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
  {
    path: '/supervision/listed',
    page: lazy(() => import('./pages/ListedPage')),
    nav: 'nav.listed',
    roles: ['procurator', 'supervisor', 'admin'],
  },
  // The chain of a party (issue 11 §1): reached from the graphs, no menu entry
  { path: '/parties/:id/chain', page: lazy(() => import('./pages/ChainPage')), roles: REGION },
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
  // Administrative cases, screening and the linkage workflows (issue 10 §5)
  {
    path: '/admin-cases',
    page: lazy(() => import('./pages/AdminCasesPage')),
    nav: 'nav.adminCases',
    roles: ['agency-officer', ...REGION],
  },
  { path: '/admin-cases/new', page: lazy(() => import('./pages/AdminCaseFormPage')) },
  { path: '/admin-cases/:id', page: lazy(() => import('./pages/AdminCasePage')) },
  { path: '/screening', page: lazy(() => import('./pages/ScreeningPage')), nav: 'nav.screening', roles: REGION },
  {
    path: '/recommendations',
    page: lazy(() => import('./pages/RecommendationsPage')),
    nav: 'nav.recommendations',
    roles: ['agency-officer', ...REGION],
  },
  { path: '/recommendations/:id', page: lazy(() => import('./pages/RecommendationPage')) },
  {
    path: '/reverse-transfers',
    page: lazy(() => import('./pages/ReverseTransfersPage')),
    nav: 'nav.reverseTransfers',
    roles: ['agency-officer', 'police-officer', 'police-lead', ...REGION],
  },
  { path: '/reverse-transfers/new', page: lazy(() => import('./pages/ReverseTransferStartPage')) },
  { path: '/reverse-transfers/:id', page: lazy(() => import('./pages/ReverseTransferPage')) },
  // Case groups (并案, issue 11 §2): whoever sees a member sees the group
  { path: '/case-groups', page: lazy(() => import('./pages/CaseGroupsPage')), nav: 'nav.caseGroups' },
  { path: '/case-groups/:id', page: lazy(() => import('./pages/CaseGroupPage')) },
  // Campaigns and their dashboards (issue 11 §4): the register is for everyone
  { path: '/campaigns', page: lazy(() => import('./pages/CampaignsPage')), nav: 'nav.campaigns' },
  { path: '/campaigns/:code', page: lazy(() => import('./pages/CampaignDashboardPage')) },
];

export const LoginPage = lazy(() => import('./pages/LoginPage'));
export const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
