// API keys for system-to-system clients (an agency's own case system submitting
// referrals). A key acts for one agency with fixed roles. Each key gets a user
// row of its own ("api-key:<id>", a password nobody knows) at creation: the
// timeline attributes steps to users and idempotency keys belong to users, so
// a key is a user to everything behind the guard, and stays attributable after
// it is revoked.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '../../workflows/referral/referral.types';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { notFound, validationFailed } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { Agency } from './agency.entity';
import { CreateApiKeyDto } from './api-keys.dto';
import { refuseAsHome, ROLE_AGENCY_KIND } from './directory.service';
import { UserChanges } from './user-changes';

const KEY_PREFIX = 'clk_';
/** 'clk_' + 32 random bytes in base64url. */
const KEY_PATTERN = /^clk_[A-Za-z0-9_-]{43}$/;
/** How much of the key listings show, to tell keys apart: 'clk_' and 8 characters (48 bits, useless to guess from). */
const SHOWN_PREFIX_LENGTH = 12;
/** last_used_at is written at most this often per key, so that a busy client does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  keyPrefix: string;
  roles: Role[];
  agencyId: string;
  userId: string;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_prefix: string;
  roles: Role[];
  agency_id: string;
  user_id: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

// SHA-256, not scrypt: the key carries 256 random bits, so the digest cannot be
// reversed by guessing, and it must be found by an index lookup on every request.
const digest = (key: string) => createHash('sha256').update(key).digest('hex');

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly changes: UserChanges,
    private readonly config: AppConfig,
  ) {}

  /** The key is in this answer only; afterwards only its hash and first characters exist. */
  async create(admin: Principal, dto: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    const agencyId = dto.agencyId ?? admin.agency.id;
    const agency = await this.db.getRepository(Agency).findOneBy({ id: agencyId });
    refuseAsHome(agency);
    const misfit = dto.roles.find((r) => !ROLE_AGENCY_KIND[r].includes(agency.kind));
    if (misfit) throw validationFailed([{ field: 'roles', message: `role ${misfit} does not fit a ${agency.kind} agency` }]);

    const id = randomUUID();
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    // A real scrypt hash of a secret thrown away: login as this user fails like any wrong password.
    const unusablePassword = await hashPassword(randomBytes(32).toString('base64url'), this.config.PASSWORD_HASH_COST);
    const row: ApiKeyRow = await this.db.transaction(async (tx) => {
      const [user] = await tx.query(
        `INSERT INTO users (username, password_hash, display_name, agency_id, roles) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [`api-key:${id}`, unusablePassword, `API key: ${dto.name}`, agency.id, dto.roles],
      );
      const [inserted] = await tx.query(
        `INSERT INTO api_keys (id, name, key_prefix, key_hash, roles, agency_id, user_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [id, dto.name, key.slice(0, SHOWN_PREFIX_LENGTH), digest(key), dto.roles, agency.id, user.id, admin.userId],
      );
      return inserted;
    });
    this.logger.log(`API key ${id} (${dto.name}) created for agency ${agency.code} by ${admin.username}`);
    return { ...apiKeyView(row), key };
  }

  async list(): Promise<{ items: ApiKeyView[] }> {
    const rows: ApiKeyRow[] = await this.db.query(`SELECT * FROM api_keys ORDER BY created_at DESC, id`);
    return { items: rows.map(apiKeyView) };
  }

  /** Revoking twice is not an error; the first revocation time stays. */
  async revoke(id: string): Promise<void> {
    // TypeORM answers UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [rows]: [{ user_id: string }[], number] = await this.db.query(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING user_id`,
      [id],
    );
    const row = rows[0];
    if (!row) throw notFound('API key');
    this.logger.log(`API key ${id} revoked`);
    await this.changes.announce(row.user_id); // open streams of the key end
  }

  /** The principal a live key acts as, or null (unknown, malformed, revoked, or its user deactivated). */
  async authenticate(key: string): Promise<Principal | null> {
    if (!KEY_PATTERN.test(key)) return null;
    // Looked up by digest: comparing digests leaks nothing useful about the key through timing.
    const [row] = await this.db.query(
      `SELECT k.id, k.roles, k.user_id, k.last_used_at, u.username, a.id AS agency_id, a.kind, a.region_code
         FROM api_keys k JOIN users u ON u.id = k.user_id JOIN agencies a ON a.id = k.agency_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.active`,
      [digest(key)],
    );
    if (!row) return null;
    const now = new Date();
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
      await this.db
        .query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`, [
          row.id,
          now,
          new Date(now.getTime() - TOUCH_INTERVAL_MS),
        ])
        .catch((e: Error) => this.logger.warn(`API key ${row.id}: last_used_at not updated: ${e.message}`));
    }
    return {
      userId: row.user_id,
      username: row.username,
      roles: row.roles,
      agency: { id: row.agency_id, kind: row.kind, regionCode: row.region_code },
    };
  }
}

function apiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.key_prefix,
    roles: row.roles,
    agencyId: row.agency_id,
    userId: row.user_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
