import type { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';

/**
 * TypeORM stops listening to a pg client's 'error' events once it has released
 * the broken connection, but pg can emit a second one (e.g. after
 * pg_terminate_backend), which would crash the process as an unhandled error.
 * A permanent no-op listener on every pooled client keeps that from happening;
 * the failing query itself still rejects and is answered 503.
 */
export function absorbLateConnectionErrors(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: Pool & { _clients?: PoolClient[] } }).master;
  if (!pool) return;
  const absorb = (client: PoolClient) => client.on('error', () => undefined);
  pool.on('connect', absorb);
  for (const client of pool._clients ?? []) absorb(client);
}
