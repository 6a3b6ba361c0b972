import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Role } from '../../workflows/referral/referral.types';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainException, notFound, validationFailed } from '../common/problem';
import { AdvisoryLock } from '../database/advisory-locks';
import { SqlParams } from '../common/sql-params';
import { Agency, AgencyKind } from './agency.entity';
import { AgencyQueryDto, CreateAgencyDto, CreateUserDto, UpdateAgencyDto, UpdateUserDto, UserQueryDto } from './directory.dto';
import { UserChanges } from './user-changes';
import { User } from './user.entity';

// Which roles belong to which kind of agency (API.md "Roles and scope").
export const ROLE_AGENCY_KIND: Record<string, AgencyKind[]> = {
  'agency-officer': ['regulator'],
  'police-officer': ['police'],
  'police-lead': ['police'],
  procurator: ['procuratorate'],
  supervisor: ['supervisor'],
  admin: ['regulator', 'police', 'procuratorate', 'supervisor'],
};

/** The user row behind each API key (see api-keys.service.ts); not a person, so not in the user list. */
export const API_KEY_USER_PREFIX = 'api-key:';
export const isApiKeyUser = (username: string) => username.startsWith(API_KEY_USER_PREFIX);

const alreadyExists = (field: string, detail: string) =>
  new DomainException('ALREADY_EXISTS', detail, { errors: [{ field, message: detail }] });

/** PostgreSQL's unique violation on the named constraint: two requests raced past the existence check. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e =
    (error as { driverError?: { code?: string; constraint?: string } })?.driverError ??
    (error as { code?: string; constraint?: string });
  return e?.code === '23505' && e.constraint === constraint;
}

function misfitRole(roles: Role[], kind: AgencyKind): Role | undefined {
  return roles.find((r) => !ROLE_AGENCY_KIND[r].includes(kind));
}

/** Users and API keys join only agencies that exist and are active. */
export function refuseAsHome(agency: Agency | null): asserts agency is Agency {
  if (!agency) throw validationFailed([{ field: 'agencyId', message: 'agency does not exist' }]);
  if (!agency.active) throw validationFailed([{ field: 'agencyId', message: 'agency is deactivated' }]);
}

const sameRoles = (a: Role[], b: Role[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

@Injectable()
export class DirectoryService {
  private readonly logger = new Logger('Directory');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly changes: UserChanges,
  ) {}

  async createAgency(dto: CreateAgencyDto): Promise<Agency> {
    if (dto.parentId && !(await this.db.getRepository(Agency).existsBy({ id: dto.parentId }))) {
      throw validationFailed([{ field: 'parentId', message: 'parent agency does not exist' }]);
    }
    const taken = () => alreadyExists('code', `an agency with code "${dto.code}" exists`);
    if (await this.db.getRepository(Agency).existsBy({ code: dto.code })) throw taken();
    try {
      return await this.db.getRepository(Agency).save({ ...dto, parentId: dto.parentId ?? null });
    } catch (e) {
      if (isUniqueViolation(e, 'agencies_code_key')) throw taken();
      throw e;
    }
  }

  listAgencies(query: AgencyQueryDto): Promise<Agency[]> {
    const where = {
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.regionCode ? { regionCode: query.regionCode } : {}),
      ...(query.active ? { active: query.active === 'true' } : {}),
    };
    return this.db.getRepository(Agency).find({ where, order: { code: 'ASC' } });
  }

  async updateAgency(id: string, dto: UpdateAgencyDto): Promise<Agency> {
    const agency = await this.getAgency(id);
    if (dto.name !== undefined) agency.name = dto.name;
    if (dto.active !== undefined) agency.active = dto.active;
    return this.db.getRepository(Agency).save(agency);
  }

  async getAgency(id: string): Promise<Agency> {
    const agency = await this.db.getRepository(Agency).findOneBy({ id });
    if (!agency) throw notFound('Agency');
    return agency;
  }

  async createUser(dto: CreateUserDto): Promise<User> {
    const agency = await this.db.getRepository(Agency).findOneBy({ id: dto.agencyId });
    refuseAsHome(agency);
    const misfit = misfitRole(dto.roles, agency.kind);
    if (misfit) throw validationFailed([{ field: 'roles', message: `role ${misfit} does not fit a ${agency.kind} agency` }]);
    const taken = () => alreadyExists('username', `username "${dto.username}" is taken`);
    if (await this.db.getRepository(User).existsBy({ username: dto.username })) throw taken();
    let saved: User;
    try {
      saved = await this.db.getRepository(User).save({
        username: dto.username,
        passwordHash: await hashPassword(dto.password, this.config.PASSWORD_HASH_COST),
        displayName: dto.displayName,
        agencyId: agency.id,
        roles: dto.roles,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_username_key')) throw taken();
      throw e;
    }
    return this.findUser(saved.id) as Promise<User>;
  }

  /** People only: the users behind API keys are listed at /api/v1/api-keys. Oldest first. */
  async listUsers(query: UserQueryDto): Promise<{ items: User[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const params = new SqlParams();
    const where = [`u.username NOT LIKE ${params.add(`${API_KEY_USER_PREFIX}%`)}`];
    if (query.agencyId) where.push(`u.agency_id = ${params.add(query.agencyId)}`);
    if (query.role) where.push(`${params.add(query.role)} = ANY (u.roles)`);
    if (query.active) where.push(`u.active = ${params.add(query.active === 'true')}`);
    // The cursor holds milliseconds; created_at has microseconds: compare and order on the truncated value.
    const key = `date_trunc('milliseconds', u.created_at)`;
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      // Our cursors hold Date#toISOString(): anything else (2026-02-30, +275760-…, "1") is forged, a 400, never a 500.
      const at = new Date(cursor.at);
      if (Number.isNaN(at.getTime()) || at.toISOString() !== cursor.at || at.getUTCFullYear() > 9999) {
        throw validationFailed([{ field: 'cursor', message: 'cursor is not valid' }]);
      }
      where.push(`(${key}, u.id) > (${params.add(at.toISOString())}::timestamptz, ${params.add(cursor.id)}::uuid)`);
    }
    const rows: { id: string; at: Date }[] = await this.db.query(
      `SELECT u.id, ${key} AS at FROM users u WHERE ${where.join(' AND ')} ORDER BY ${key}, u.id LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    const page = rows.slice(0, limit);
    const users = await this.db
      .getRepository(User)
      .find({ where: { id: In(page.map((r) => r.id)) }, relations: { agency: true } });
    const byId = new Map(users.map((u) => [u.id, u]));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => byId.get(r.id)).filter((u): u is User => u !== undefined),
      nextCursor: rows.length > limit ? encodeCursor(last.at, last.id) : null,
    };
  }

  /**
   * PATCH /users/:id. A change of roles, agency or `active` ends the user's
   * tokens (a new token generation) and is announced to every process.
   */
  async updateUser(actor: Principal, id: string, dto: UpdateUserDto): Promise<User> {
    const revoked = await this.db.transaction(async (tx) => {
      const user = await this.lockUser(tx, id);
      const keyUser = isApiKeyUser(user.username);
      if (keyUser && (dto.roles !== undefined || dto.agencyId !== undefined)) {
        const field = dto.roles !== undefined ? 'roles' : 'agencyId';
        throw validationFailed([{ field, message: "an API key's roles and agency are fixed; create a new key instead" }]);
      }
      let agency = user.agency;
      if (dto.agencyId !== undefined && dto.agencyId !== user.agencyId) {
        const moved = await tx.getRepository(Agency).findOneBy({ id: dto.agencyId });
        refuseAsHome(moved);
        agency = moved;
      }
      const roles = dto.roles ?? user.roles;
      const misfit = misfitRole(roles, agency.kind);
      if (misfit) {
        throw validationFailed([
          { field: dto.roles ? 'roles' : 'agencyId', message: `role ${misfit} does not fit a ${agency.kind} agency` },
        ]);
      }
      // An admin cannot lock themselves out (someone else has to).
      if (actor.userId === id && (dto.active === false || !roles.includes('admin'))) {
        throw validationFailed([
          { field: dto.active === false ? 'active' : 'roles', message: 'you cannot remove your own admin access' },
        ]);
      }
      const active = dto.active ?? user.active;
      const revoke = !sameRoles(roles, user.roles) || agency.id !== user.agencyId || active !== user.active;
      await tx.query(
        `UPDATE users SET display_name = $2, roles = $3, agency_id = $4, active = $5,
                token_generation = token_generation + $6,
                tokens_valid_after = CASE WHEN $6 = 1 THEN now() ELSE tokens_valid_after END
          WHERE id = $1`,
        [id, dto.displayName ?? user.displayName, roles, agency.id, active, revoke ? 1 : 0],
      );
      return revoke;
    });
    if (revoked) {
      this.logger.log(`user ${id} changed by ${actor.username}: its tokens are revoked`);
      await this.changes.announce(id);
    }
    return (await this.findUser(id)) as User;
  }

  /** Admin reset (POST /users/:id/password) and one's own change: every token of the user ends. */
  async setPassword(id: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword, this.config.PASSWORD_HASH_COST);
    await this.db.transaction(async (tx) => {
      const user = await this.lockUser(tx, id);
      if (isApiKeyUser(user.username)) {
        throw validationFailed([{ field: 'newPassword', message: 'an API key has no password; revoke it and create a new one' }]);
      }
      await tx.query(
        `UPDATE users SET password_hash = $2, token_generation = token_generation + 1, tokens_valid_after = now() WHERE id = $1`,
        [id, passwordHash],
      );
    });
    await this.changes.announce(id);
  }

  findUser(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ where: { id }, relations: { agency: true } });
  }

  findUserByUsername(username: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ where: { username }, relations: { agency: true } });
  }

  private async lockUser(tx: EntityManager, id: string): Promise<User> {
    // Lock first, then read: concurrent changes of one user apply one after the other.
    const [locked] = await tx.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [id]);
    const user = locked ? await tx.getRepository(User).findOne({ where: { id }, relations: { agency: true } }) : null;
    if (!user) throw notFound('User');
    return user;
  }

  /** First start with no users: create the admin (and a national administration agency for it). */
  async bootstrapAdmin(): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Serialise replicas booting together on an empty database.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.BootstrapAdmin]);
      if ((await tx.getRepository(User).count()) > 0) return;
      let agency = await tx.getRepository(Agency).findOneBy({ code: 'caselink-admin' });
      agency ??= await tx.getRepository(Agency).save({
        code: 'caselink-admin',
        name: 'CaseLink administration',
        kind: 'supervisor',
        regionCode: '000000', // national: covers every region
        parentId: null,
      });
      const password = this.config.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
      await tx.getRepository(User).save({
        username: this.config.ADMIN_USERNAME,
        passwordHash: await hashPassword(password, this.config.PASSWORD_HASH_COST),
        displayName: 'Administrator',
        agencyId: agency.id,
        roles: ['admin'],
      });
      if (!this.config.ADMIN_PASSWORD) {
        // Printed once, to stdout only, so the operator can log in; never logged again.
        process.stdout.write(`\nCaseLink admin created: username "${this.config.ADMIN_USERNAME}", password "${password}"\n\n`);
      }
      this.logger.log(`admin user "${this.config.ADMIN_USERNAME}" created`);
    });
  }
}
