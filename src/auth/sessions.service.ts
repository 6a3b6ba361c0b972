// Who is behind a bearer token or an API key, checked on every request: the
// user must exist and be active, the token must carry the user's current token
// generation (bumped on a password change or reset, a role or agency change,
// (de)activation) and must not be logged out. Roles and agency are those
// stored now. Users are cached per process for AUTH_USER_CACHE_MS at most, and
// dropped at once when any process announces a change (UserChanges).
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '../../workflows/referral/referral.types';
import { DomainException, validationFailed } from '../common/problem';
import { AppConfig } from '../config/app-config';
import type { AgencyKind } from '../directory/agency.entity';
import { ApiKeysService } from '../directory/api-keys.service';
import { UserChanges } from '../directory/user-changes';
import type { Credential, Principal } from './principal';

interface TokenClaims {
  sub: string;
  /** The user's token generation when the token was issued. */
  gen: number;
  jti: string;
  exp: number;
}

interface SessionUser {
  id: string;
  username: string;
  active: boolean;
  generation: number;
  roles: Role[];
  agency: { id: string; kind: AgencyKind; regionCode: string };
  /** Logged-out token ids that have not expired yet. */
  loggedOut: Set<string>;
}

export interface Authenticated {
  principal: Principal;
  credential: Credential;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CACHED_USERS = 10_000;
/** setTimeout takes at most 2^31-1 ms; a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Open streams re-check their credential this often too, in case a change announcement was lost. */
const RECHECK_MS = 30_000;

const unauthenticated = (detail: string) => new DomainException('UNAUTHENTICATED', detail);

@Injectable()
export class Sessions implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { loadedAt: number; user: SessionUser | null }>();
  /** Bumped by every change: a load that started before a change is not cached. */
  private epoch = 0;
  private readonly watchers = new Map<string, Set<() => void>>();
  private stopListening?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly changes: UserChanges,
    private readonly apiKeys: ApiKeysService,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.changes.listen((userId) => this.forget(userId));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** A new token for the user at its current generation. */
  issue(user: { id: string; username: string; tokenGeneration: number }): { accessToken: string; expiresIn: number } {
    const expiresIn = this.config.JWT_EXPIRES_IN_SECONDS;
    return { accessToken: this.sign(user.id, user.username, user.tokenGeneration, expiresIn), expiresIn };
  }

  /** A token of its own that lives at most `seconds` (e.g. for a cookie); revoked with the user's others. */
  async issueShortLived(principal: Principal, seconds: number): Promise<{ token: string; expiresIn: number }> {
    const user = await this.load(principal.userId);
    if (!user?.active) throw unauthenticated('The user is not active');
    const expiresIn = Math.min(seconds, this.config.JWT_EXPIRES_IN_SECONDS);
    return { token: this.sign(user.id, user.username, user.generation, expiresIn), expiresIn };
  }

  private sign(userId: string, username: string, generation: number, expiresIn: number): string {
    return this.jwt.sign({ sub: userId, username, gen: generation }, { jwtid: randomUUID(), expiresIn });
  }

  async authenticateBearer(token: string): Promise<Authenticated> {
    const claims = this.verify(token);
    const user = await this.load(claims.sub);
    const refusal = refusalOf(user, claims);
    if (refusal) throw unauthenticated(refusal);
    const expiresAt = claims.exp * 1000;
    return {
      principal: principalOf(user!),
      credential: {
        kind: 'token',
        tokenId: claims.jti,
        expiresAt,
        watch: (end) =>
          this.watch(claims.sub, expiresAt, async () => refusalOf(await this.load(claims.sub), claims) === null, end),
      },
    };
  }

  async authenticateApiKey(key: string): Promise<Authenticated> {
    // Looked up on every request (no cache), so a revocation takes effect at once.
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw unauthenticated('The API key is invalid or revoked');
    return {
      principal,
      credential: {
        kind: 'api-key',
        tokenId: null,
        expiresAt: null,
        watch: (end) => this.watch(principal.userId, null, async () => (await this.apiKeys.authenticate(key)) !== null, end),
      },
    };
  }

  /** POST /auth/logout: this token stops working; the others of the user go on. */
  async logout(principal: Principal, credential: Credential): Promise<void> {
    if (credential.kind !== 'token' || !credential.tokenId || credential.expiresAt === null) {
      throw validationFailed(
        [{ field: 'X-Api-Key', message: 'an API key is revoked with DELETE /api/v1/api-keys/:id' }],
        'Only a bearer token can be logged out',
      );
    }
    // Kept until the token would have expired anyway; older entries are swept on the way.
    await this.db.query(`DELETE FROM revoked_tokens WHERE expires_at < now() - interval '1 minute'`);
    await this.db.query(
      `INSERT INTO revoked_tokens (token_id, user_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (token_id) DO NOTHING`,
      [credential.tokenId, principal.userId, new Date(credential.expiresAt)],
    );
    await this.changes.announce(principal.userId);
  }

  private verify(token: string): TokenClaims {
    let claims: Partial<TokenClaims>;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch {
      throw unauthenticated('The token is missing, invalid or expired');
    }
    // Tokens from before the user lifecycle carry no generation: they cannot be revoked, so they are refused.
    if (
      typeof claims.sub !== 'string' ||
      !UUID.test(claims.sub) ||
      typeof claims.jti !== 'string' ||
      !UUID.test(claims.jti) ||
      !Number.isInteger(claims.gen) ||
      typeof claims.exp !== 'number'
    ) {
      throw unauthenticated('The token is not valid any more; log in again');
    }
    return claims as TokenClaims;
  }

  private async load(userId: string): Promise<SessionUser | null> {
    const startedAt = Date.now();
    const hit = this.cache.get(userId);
    if (hit && startedAt - hit.loadedAt < this.config.AUTH_USER_CACHE_MS) return hit.user;
    const epoch = this.epoch;
    const [row] = await this.db.query(
      `SELECT u.id, u.username, u.active, u.token_generation AS generation, u.roles,
              a.id AS agency_id, a.kind, a.region_code,
              ARRAY(SELECT t.token_id::text FROM revoked_tokens t WHERE t.user_id = u.id AND t.expires_at > now()) AS logged_out
         FROM users u JOIN agencies a ON a.id = u.agency_id
        WHERE u.id = $1`,
      [userId],
    );
    const user: SessionUser | null = row
      ? {
          id: row.id,
          username: row.username,
          active: row.active,
          generation: row.generation,
          roles: row.roles,
          agency: { id: row.agency_id, kind: row.kind, regionCode: row.region_code },
          loggedOut: new Set(row.logged_out),
        }
      : null;
    if (epoch === this.epoch && this.config.AUTH_USER_CACHE_MS > 0) {
      this.cache.delete(userId); // re-inserted last: the Map's first entry is the oldest
      this.cache.set(userId, { loadedAt: startedAt, user });
      if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
    }
    return user;
  }

  /** A user changed (here or in another process): reload it next time, and re-check its open streams now. */
  private forget(userId: string): void {
    this.epoch++;
    this.cache.delete(userId);
    for (const recheck of [...(this.watchers.get(userId) ?? [])]) recheck();
  }

  private watch(userId: string, expiresAt: number | null, stillValid: () => Promise<boolean>, end: () => void): () => void {
    let done = false;
    let expiry: NodeJS.Timeout | undefined;
    const stop = () => {
      done = true;
      clearTimeout(expiry);
      clearInterval(safetyNet);
      const set = this.watchers.get(userId);
      set?.delete(recheck);
      if (set?.size === 0) this.watchers.delete(userId);
    };
    const finish = () => {
      if (done) return;
      stop();
      end();
    };
    // A failed check (database down) leaves the stream open; the next change or the safety net checks again.
    const recheck = () => {
      if (!done)
        stillValid().then(
          (ok) => ok || finish(),
          () => undefined,
        );
    };
    const arm = () => {
      if (expiresAt === null) return;
      const left = expiresAt - Date.now();
      if (left <= 0) return finish();
      expiry = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      expiry.unref();
    };
    const safetyNet = setInterval(recheck, RECHECK_MS);
    safetyNet.unref();
    let set = this.watchers.get(userId);
    if (!set) this.watchers.set(userId, (set = new Set()));
    set.add(recheck);
    arm();
    return stop;
  }
}

function refusalOf(user: SessionUser | null, claims: TokenClaims): string | null {
  if (!user) return 'The user of this token does not exist';
  if (!user.active) return 'The user is deactivated';
  if (claims.gen !== user.generation) {
    return "The token was revoked (the user's password, roles, agency or status changed); log in again";
  }
  if (user.loggedOut.has(claims.jti)) return 'The token was logged out';
  return null;
}

const principalOf = (u: SessionUser): Principal => ({ userId: u.id, username: u.username, roles: u.roles, agency: u.agency });
