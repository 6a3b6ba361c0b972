// Case groups (并案) by the names the console uses, from the generated OpenAPI types.
import type { components } from '../api/schema';

type Schemas = components['schemas'];

export type CaseGroup = Schemas['CaseGroupView'];
export type CaseGroupMember = Schemas['CaseGroupMember'];
export type CaseGroupSummary = Schemas['CaseGroupSummary'];
export type CaseGroupHistoryEntry = Schemas['CaseGroupHistoryEntry'];
export type LinksView = Schemas['LinksView'];

/** The caller may change the group: a police lead of its lead unit or of the unit that formed it, while it is open. */
export const mayChangeGroup = (g: CaseGroup, user: { roles: string[]; agency: { id: string } } | null | undefined) =>
  !!user &&
  g.open &&
  user.roles.includes('police-lead') &&
  (user.agency.id === g.leadAgency.id || user.agency.id === g.createdBy.agency.id);
