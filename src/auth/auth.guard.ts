// Global guard: a valid bearer token or API key is required unless the route is
// @Public; @RequireRoles narrows it further (403). Who is behind the credential
// is checked against the database on every request (Sessions).
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../../workflows/referral/referral.types';
import { DomainException, forbidden } from '../common/problem';
import { AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './principal';
import { Authenticated, Sessions } from './sessions.service';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: Sessions,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const { principal, credential } = await this.authenticate(req);
    req.principal = principal;
    req.credential = credential;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private authenticate(req: Request): Promise<Authenticated> {
    const apiKey = req.header('x-api-key');
    if (apiKey !== undefined) {
      // Two credentials could name two callers: refuse rather than pick one.
      if (req.header('authorization') !== undefined) {
        throw new DomainException('UNAUTHENTICATED', 'Send either a bearer token or an X-Api-Key, not both');
      }
      return this.sessions.authenticateApiKey(apiKey);
    }
    const header = req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainException('UNAUTHENTICATED', 'A bearer token or an X-Api-Key is required');
    return this.sessions.authenticateBearer(token);
  }
}
