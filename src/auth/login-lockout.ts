// Failed logins per account, whatever the client address (the per-IP limit is
// in ops/rate-limit.ts): LOGIN_LOCKOUT_FAILURES failures within
// LOGIN_LOCKOUT_WINDOW_SECONDS lock the username for LOGIN_LOCKOUT_SECONDS, in
// Redis so that the count holds across replicas; a successful login resets it.
// One key per username (its digest: any string may be tried) under
// QUEUE_PREFIX, holding either the failure count or "locked".
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainException } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { REDIS, type RedisConnection } from '../redis/redis';

const MINUTE_MS = 60_000;

// KEYS[1] the account; ARGV: window ms, failures that lock, lock ms. Returns the lock's remaining ms, or 0.
const RECORD_FAILURE = `
if redis.call('GET', KEYS[1]) == 'locked' then return redis.call('PTTL', KEYS[1]) end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if failures >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], 'locked', 'PX', ARGV[3])
  return tonumber(ARGV[3])
end
return 0`;

// A success clears the count, but never a lock another request has just set.
const RESET = `if redis.call('GET', KEYS[1]) ~= 'locked' then redis.call('DEL', KEYS[1]) end return 0`;

const LOCK_REMAINING = `if redis.call('GET', KEYS[1]) == 'locked' then return redis.call('PTTL', KEYS[1]) end return 0`;

export const accountLocked = (ms: number) => {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new DomainException('RATE_LIMITED', `Too many failed logins for this account; retry in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
};

@Injectable()
export class LoginLockout {
  private readonly logger = new Logger('LoginLockout');
  private lastWarning = 0;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  /** 429 while the account is locked, even for the right password. */
  async refuseIfLocked(username: string): Promise<void> {
    const ms = await this.run(LOCK_REMAINING, username);
    if (ms > 0) throw accountLocked(ms);
  }

  /** Counts a failure; the lock starts with the failure that reaches the limit and applies to the next attempt. */
  async recordFailure(username: string): Promise<void> {
    await this.run(
      RECORD_FAILURE,
      username,
      this.config.LOGIN_LOCKOUT_WINDOW_SECONDS * 1000,
      this.config.LOGIN_LOCKOUT_FAILURES,
      this.config.LOGIN_LOCKOUT_SECONDS * 1000,
    );
  }

  async reset(username: string): Promise<void> {
    await this.run(RESET, username);
  }

  private async run(script: string, username: string, ...args: number[]): Promise<number> {
    const key = `${this.config.QUEUE_PREFIX}:login-lockout:${createHash('sha256').update(username).digest('hex')}`;
    try {
      return Number(await this.redis.eval(script, 1, key, ...args));
    } catch (e) {
      // Fail open like the other rate limits: Redis down must not stop logins (the per-IP limit fails open too).
      if (Date.now() - this.lastWarning > MINUTE_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`account lockout not enforced, Redis unavailable: ${(e as Error).message}`);
      }
      return 0;
    }
  }
}
