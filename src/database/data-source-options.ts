// One place for TypeORM options: the app, the migration runner and tests share them.
import type { DataSourceOptions } from 'typeorm';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { CoreSchema1764400000000 } from './migrations/1764400000000-CoreSchema';
import { MessagesSchema1764500000000 } from './migrations/1764500000000-MessagesSchema';
import { EvidenceAndKeys1764600000000 } from './migrations/1764600000000-EvidenceAndKeys';
import { SupervisionIndexes1764700000000 } from './migrations/1764700000000-SupervisionIndexes';
import { UserLifecycle1764800000000 } from './migrations/1764800000000-UserLifecycle';
import { Reliability1764900000000 } from './migrations/1764900000000-Reliability';
import { TimelineHead1765000000000 } from './migrations/1765000000000-TimelineHead';
import { AdminCases1765100000000 } from './migrations/1765100000000-AdminCases';
import { Workflows1765200000000 } from './migrations/1765200000000-Workflows';
import { Campaigns1765300000000 } from './migrations/1765300000000-Campaigns';
import { Parties1765400000000 } from './migrations/1765400000000-Parties';
import { Jurisdiction1765450000000 } from './migrations/1765450000000-Jurisdiction';
import { CaseGroups1765530000000 } from './migrations/1765530000000-CaseGroups';

// The directory (agencies, users) is read and written through TypeORM entities; every
// other table with explicit SQL in its *.repository.ts (scope and locks in the query).
export const ENTITIES = [Agency, User];
export const MIGRATIONS = [
  CoreSchema1764400000000,
  MessagesSchema1764500000000,
  EvidenceAndKeys1764600000000,
  SupervisionIndexes1764700000000,
  UserLifecycle1764800000000,
  Reliability1764900000000,
  TimelineHead1765000000000,
  AdminCases1765100000000,
  Workflows1765200000000,
  Campaigns1765300000000,
  Parties1765400000000,
  Jurisdiction1765450000000,
  CaseGroups1765530000000,
];

export function dataSourceOptions(url: string, poolMax = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false, // schema changes only through migrations
    migrationsRun: false, // run under an advisory lock at boot, see migrate.ts
    // JIT off: the supervision stats compiled their plan on every request at 1M referrals
    // (7.3 s with JIT, 0.8 s without, bench/supervision-at-scale.ts); OLTP gains nothing from it.
    extra: { max: poolMax, connectionTimeoutMillis: 5000, options: '-c jit=off' },
  };
}
