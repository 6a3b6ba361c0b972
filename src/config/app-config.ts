// The environment, validated once at boot (API.md "Configuration").
import type { PlanningRules } from '../../workflows/deadline-planning';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { PRODUCTION_HASH_COST } from '../auth/passwords';
import { hashTagOf, parseClusterNodes } from '../redis/redis-target';

const toBool = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() === 'true' : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value !== '' ? Number(value) : value);

export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** The interface the HTTP server binds: loopback unless asked (the container image sets 0.0.0.0). */
  @IsString()
  @Matches(/^[0-9A-Za-z.:-]+$/, { message: 'HOST must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0' })
  HOST = '127.0.0.1';

  /** Unset: an embedded PostgreSQL is started under DATA_DIR. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  /** Connections per process in the PostgreSQL pool. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  DATABASE_POOL_MAX = 10;

  /**
   * Set: every replica reads from this PostgreSQL (a streaming standby) for the supervision views
   * (overdue, stats, export); everything else stays on DATABASE_URL. Unset: all on DATABASE_URL.
   */
  @IsOptional()
  @IsString()
  DATABASE_READ_URL?: string;

  /** A single Redis server; in cluster mode only its user, password and TLS (rediss://) are used, for every node. */
  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Set: Redis Cluster mode, these `host:port,host:port` are the seed nodes (the rest are discovered); QUEUE_PREFIX then needs a {hash tag}. */
  @IsOptional()
  @IsString()
  REDIS_CLUSTER_NODES?: string;

  @IsString()
  @MinLength(1)
  QUEUE_PREFIX = 'caselink';

  /** For managed Redis that hides CONFIG: skip the noeviction check at boot. */
  @Transform(toBool)
  @IsBoolean()
  REDIS_SKIP_EVICTION_CHECK = false;

  @IsString()
  DATA_DIR = './.data';

  /** Port of the embedded PostgreSQL (no DATABASE_URL). Unset: the last one used under DATA_DIR, else 5433 or the next free one. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsString()
  APP_TIMEZONE = 'Asia/Shanghai';

  @IsString()
  @MinLength(1)
  ADMIN_USERNAME = 'admin';

  @IsOptional()
  @IsString()
  @MinLength(12)
  ADMIN_PASSWORD?: string;

  /** Unset: generated once and kept under DATA_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  JWT_EXPIRES_IN_SECONDS = 3600;

  @Transform(toBool)
  @IsBoolean()
  RUN_API = true;

  @Transform(toBool)
  @IsBoolean()
  RUN_WORKERS = true;

  @IsIn(['system', 'controllable'])
  CLOCK_MODE: 'system' | 'controllable' = 'system';

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_BACKOFF_MS = 30000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES = 26214400;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES = 1048576;

  /** Reminder lead before a due time; periods of 24 h or less are reminded at half-time instead. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEADLINE_REMINDER_LEAD_HOURS = 24;

  /** After a breach with no progress for this long, escalation level 2 reaches the supervisors one level up. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ESCALATION_GRACE_HOURS = 48;

  /** How often the sweeper re-arms and fires deadlines (it also runs at boot). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SWEEP_INTERVAL_MS = 60000;

  /** How long a worker holds a job before another may take it over as stalled (BullMQ lockDuration). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_MS = 30000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Logins per minute per client IP, across all replicas (counted in Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_MINUTE = 10;

  /** POST/PUT/PATCH/DELETE per minute per user (per IP before authentication), across all replicas. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WRITES_PER_MINUTE = 300;

  /** Failed logins of one username (from any address) within LOGIN_LOCKOUT_WINDOW_SECONDS that lock it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_FAILURES = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_WINDOW_SECONDS = 900;

  /** How long a locked username answers 429, even to the right password. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_SECONDS = 900;

  /** scrypt cost (N) of new password hashes: test suites lower it; below 16384 is refused when NODE_ENV=production. */
  @Transform(toInt)
  @IsIn([1024, 2048, 4096, 8192, 16384])
  PASSWORD_HASH_COST = PRODUCTION_HASH_COST;

  /** How long a process may reuse a user's roles, agency and token state (changes are announced at once through Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  AUTH_USER_CACHE_MS = 5000;

  /** Express `trust proxy` behind a load balancer: a hop count, `true`, or addresses/subnets (e.g. `loopback, 10.0.0.0/8`); unset: off. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /**
   * Set: every process (API or worker-only) serves /metrics and /health/live on this port, and
   * /metrics is not served on PORT. Unset: API processes serve /metrics on PORT, worker-only ones none.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Set: GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); unset: public. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** A case is "near" a screening rule when a fact reaches this share of its threshold (exclusive of 0 and 1). */
  @Transform(toInt)
  @IsNumber()
  @Min(0.01)
  @Max(0.99)
  SCREENING_NEAR_RATIO = 0.8;

  /** The largest administrative-case import (CSV or NDJSON body) accepted; larger → 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_BYTES = 5242880;

  /** After SIGTERM/SIGINT, the process exits anyway once this much time has passed. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 25000;
}

export class ConfigError extends Error {}

/** Redis Cluster: valid seed nodes, database 0, and a prefix that keeps each queue's keys in one slot. */
function checkClusterConfig(config: AppConfig): void {
  try {
    if (parseClusterNodes(config.REDIS_CLUSTER_NODES!).length === 0) throw new Error('no node given');
  } catch (e) {
    throw new ConfigError(`Invalid configuration: REDIS_CLUSTER_NODES must be host:port[,host:port…] (${(e as Error).message})`);
  }
  const db = new URL(config.REDIS_URL).pathname.replace(/^\//, '');
  if (db !== '' && db !== '0') {
    throw new ConfigError(`Invalid configuration: REDIS_URL selects database ${db}, but a Redis Cluster has only database 0`);
  }
  if (hashTagOf(config.QUEUE_PREFIX) === undefined) {
    throw new ConfigError(
      `Invalid configuration: QUEUE_PREFIX "${config.QUEUE_PREFIX}" has no {hash tag}; on a Redis Cluster (REDIS_CLUSTER_NODES) every key of a queue must hash to one slot: use e.g. QUEUE_PREFIX={caselink}`,
    );
  }
}

/** Every variable AppConfig declares, optional ones included: read from its validation decorators, not listed by hand. */
export function knownVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(AppConfig, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = knownVariables();
  // Empty strings mean "unset", so that `FOO= npm start` falls back to the default.
  const given = Object.fromEntries(Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  if (config.REDIS_CLUSTER_NODES !== undefined) checkClusterConfig(config);
  if (config.CLOCK_MODE === 'controllable' && config.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration: CLOCK_MODE=controllable is refused when NODE_ENV=production');
  }
  if (config.PASSWORD_HASH_COST < PRODUCTION_HASH_COST && config.NODE_ENV === 'production') {
    throw new ConfigError(
      `Invalid configuration: PASSWORD_HASH_COST below ${PRODUCTION_HASH_COST} is refused when NODE_ENV=production`,
    );
  }
  return config;
}

/** The deadline-counting settings the pure planner takes (workflows/deadline-planning.ts). */
export function planningRules(config: AppConfig): PlanningRules {
  return { timeZone: config.APP_TIMEZONE, reminderLeadMs: config.DEADLINE_REMINDER_LEAD_HOURS * 3_600_000 };
}

/** How long a breach stays at level 1 before it escalates to the supervisors one level up. */
export const escalationGraceMs = (config: AppConfig): number => config.ESCALATION_GRACE_HOURS * 3_600_000;
