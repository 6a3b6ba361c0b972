// Global guard: a valid bearer token is required unless the route is @Public;
// @RequireRoles narrows it further (403).
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Role } from '../../workflows/referral/referral.types';
import { DomainException, forbidden } from '../common/problem';
import { IS_PUBLIC, Principal, REQUIRED_ROLES } from './principal';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    req.principal = this.authenticate(req);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((r) => req.principal!.roles.includes(r))) {
      throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private authenticate(req: Request): Principal {
    const header = req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainException('UNAUTHENTICATED', 'A bearer token is required');
    try {
      const claims = this.jwt.verify<{ sub: string; username: string; roles: Role[]; agency: Principal['agency'] }>(token);
      return { userId: claims.sub, username: claims.username, roles: claims.roles, agency: claims.agency };
    } catch {
      throw new DomainException('UNAUTHENTICATED', 'The token is missing, invalid or expired');
    }
  }
}
