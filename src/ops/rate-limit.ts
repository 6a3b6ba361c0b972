// Rate limits (@nestjs/throttler): logins per client IP, and writes
// (POST/PUT/PATCH/DELETE) per user, or per IP before authentication. Counted in
// Redis so that a limit holds across every API replica, in fixed one-minute
// windows. Over the limit: 429 problem+json RATE_LIMITED with Retry-After.
// Failed logins are also counted per account, whatever the address: see
// auth/login-lockout.ts.
import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import {
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthController } from '../auth/auth.controller';
import type { Principal } from '../auth/principal';
import { DomainException } from '../common/problem';
import type { AppConfig } from '../config/app-config';
import type { RedisConnection } from '../redis/redis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const MINUTE_MS = 60_000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// One counter per window: the first hit starts the window's expiry.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

/** Counters in Redis under QUEUE_PREFIX (so a hash-tagged prefix keeps them on one Cluster slot, and test apps apart). */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, pttl] = (await this.redis.eval(INCREMENT, 1, `${this.prefix}:ratelimit:${key}`, ttl)) as [number, number];
      const seconds = Math.max(1, Math.ceil(pttl / 1000));
      const isBlocked = hits > limit;
      return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
    } catch (e) {
      // Fail open: Redis down already makes writes fail with 503; logins and reads should not fail for a counter.
      if (Date.now() - this.lastWarning > MINUTE_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limits not enforced, Redis unavailable: ${(e as Error).message}`);
      }
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

const requestOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
const isLogin = (ctx: ExecutionContext) => ctx.getHandler() === AuthController.prototype.login;
const clientIp = (req: Request) => `ip:${normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;

export function throttlerOptions(config: AppConfig, redis: RedisConnection): ThrottlerModuleOptions {
  return {
    storage: new RedisThrottlerStorage(redis, config.QUEUE_PREFIX),
    // Only Retry-After, on a 429 (see RateLimitGuard); no X-RateLimit-* on every answer.
    setHeaders: false,
    // One counter per caller and throttler, whatever the route.
    generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      {
        name: 'login',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_LOGIN_PER_MINUTE,
        skipIf: (ctx) => !isLogin(ctx),
        getTracker: (req) => clientIp(req as Request),
      },
      {
        name: 'writes',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_WRITES_PER_MINUTE,
        skipIf: (ctx) => isLogin(ctx) || !WRITE_METHODS.has(requestOf(ctx).method),
        // The AuthGuard (registered before this one) has set the principal on authenticated requests.
        getTracker: (req) => {
          const principal = (req as { principal?: Principal }).principal;
          return principal ? `user:${principal.userId}` : clientIp(req as Request);
        },
      },
    ],
  };
}

/** The throttler guard, answering as API.md says: 429 problem+json RATE_LIMITED with Retry-After (seconds). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected async throwThrottlingException(ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new DomainException('RATE_LIMITED', `Too many requests; retry in ${seconds} s`, { retryAfterSeconds: seconds });
  }
}
