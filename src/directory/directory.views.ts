import type { Agency } from './agency.entity';
import type { User } from './user.entity';

export interface AgencyView {
  id: string;
  code: string;
  name: string;
  kind: Agency['kind'];
  regionCode: string;
  parentId: string | null;
}

export const agencyView = (a: Agency): AgencyView => ({
  id: a.id,
  code: a.code,
  name: a.name,
  kind: a.kind,
  regionCode: a.regionCode,
  parentId: a.parentId ?? null,
});

export const userView = (u: User) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  agency: agencyView(u.agency),
});
