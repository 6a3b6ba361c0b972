// Where reads that may lag go: with DATABASE_READ_URL set, a second, read-only
// pool on a streaming standby; unset, the primary's own pool. Only the
// supervision views (overdue, stats, export) read through it: they are
// reports over many referrals and may be a moment behind. Everything a caller
// must see right after writing (a referral after an event, lists, the
// timeline, every transaction) stays on the primary's DataSource.
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

@Injectable()
export class ReadDatabase implements OnApplicationShutdown {
  private readonly pool?: Pool;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @InjectDataSource() private readonly primary: DataSource,
  ) {
    if (!config.DATABASE_READ_URL) return;
    this.pool = new Pool({
      connectionString: config.DATABASE_READ_URL,
      max: config.DATABASE_POOL_MAX,
      connectionTimeoutMillis: 5000,
      // Read-only even if the URL names a primary by mistake.
      options: '-c default_transaction_read_only=on',
      application_name: 'caselink-read',
    });
    // A dropped idle connection is reported by the next query (503), never as a crash.
    this.pool.on('error', () => undefined);
  }

  /** True when reads go to DATABASE_READ_URL, not to the primary. */
  get isReplica(): boolean {
    return this.pool !== undefined;
  }

  /** The rows of one statement, like DataSource.query. */
  async query<T = any>(text: string, values: unknown[] = []): Promise<T> {
    if (!this.pool) return this.primary.query(text, values);
    return (await this.pool.query(text, values)).rows as T;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}

/** Provides ReadDatabase everywhere (imported once, by AppModule). */
@Global()
@Module({ providers: [ReadDatabase], exports: [ReadDatabase] })
export class ReadDatabaseModule {}
