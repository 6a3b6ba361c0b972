import type { AgencyKind, Role } from '../api/types';

/** Which kinds of agency may hold each role (the service checks the same: docs/api.md "Directory"). */
export const ROLE_KINDS: Record<Role, AgencyKind[]> = {
  'agency-officer': ['regulator'],
  'police-officer': ['police'],
  'police-lead': ['police'],
  procurator: ['procuratorate'],
  supervisor: ['supervisor'],
  admin: ['regulator', 'police', 'procuratorate', 'supervisor'],
};
