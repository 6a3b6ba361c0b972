// Global guard: a valid bearer token or API key is required unless the route is
// @Public; @RequireRoles narrows it further (403).
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Role } from '../../workflows/referral/referral.types';
import { DomainException, forbidden } from '../common/problem';
import { ApiKeysService } from '../directory/api-keys.service';
import { IS_PUBLIC, Principal, REQUIRED_ROLES } from './principal';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    req.principal = await this.authenticate(req);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((r) => req.principal!.roles.includes(r))) {
      throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(req: Request): Promise<Principal> {
    const apiKey = req.header('x-api-key');
    if (apiKey !== undefined) {
      // Two credentials could name two callers: refuse rather than pick one.
      if (req.header('authorization') !== undefined) {
        throw new DomainException('UNAUTHENTICATED', 'Send either a bearer token or an X-Api-Key, not both');
      }
      // Looked up on every request (no cache), so a revocation takes effect at once.
      const principal = await this.apiKeys.authenticate(apiKey);
      if (!principal) throw new DomainException('UNAUTHENTICATED', 'The API key is invalid or revoked');
      return principal;
    }
    const header = req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainException('UNAUTHENTICATED', 'A bearer token or an X-Api-Key is required');
    try {
      const claims = this.jwt.verify<{ sub: string; username: string; roles: Role[]; agency: Principal['agency'] }>(token);
      return { userId: claims.sub, username: claims.username, roles: claims.roles, agency: claims.agency };
    } catch {
      throw new DomainException('UNAUTHENTICATED', 'The token is missing, invalid or expired');
    }
  }
}
