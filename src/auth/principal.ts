import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AgencyKind } from '../directory/agency.entity';
import type { Role } from '../../workflows/referral/referral.types';

/** The authenticated caller, with the roles and agency stored now (not those of the moment its token was issued). */
export interface Principal {
  userId: string;
  username: string;
  roles: Role[];
  agency: { id: string; kind: AgencyKind; regionCode: string };
}

/** What the caller authenticated with: a bearer token or an API key. */
export interface Credential {
  kind: 'token' | 'api-key';
  /** The token's `jti` (null for an API key). */
  tokenId: string | null;
  /** When it expires, in ms since the epoch (null: an API key does not expire). */
  expiresAt: number | null;
  /**
   * Calls `end` once, when the credential expires or stops working (logout,
   * deactivation, password/role/agency change, key revoked); for long-lived
   * answers such as the notification stream. Returns a function that stops watching.
   */
  watch(end: () => void): () => void;
}

/** The request as the AuthGuard leaves it. */
export interface AuthenticatedRequest {
  principal?: Principal;
  credential?: Credential;
}

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

export const CurrentCredential = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Credential => ctx.switchToHttp().getRequest().credential,
);

export const IS_PUBLIC = 'caselink:public';
/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const REQUIRED_ROLES = 'caselink:roles';
/** The caller needs one of these roles, else 403. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
