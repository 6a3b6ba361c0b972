import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AgencyKind } from '../directory/agency.entity';
import type { Role } from '../../workflows/referral/referral.types';

/** The authenticated caller, as the token says; every step is attributed to it. */
export interface Principal {
  userId: string;
  username: string;
  roles: Role[];
  agency: { id: string; kind: AgencyKind; regionCode: string };
}

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

export const IS_PUBLIC = 'caselink:public';
/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const REQUIRED_ROLES = 'caselink:roles';
/** The caller needs one of these roles, else 403. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
