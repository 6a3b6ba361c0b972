import type { DataSource } from 'typeorm';
import { AdvisoryLock } from './advisory-locks';

export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Several replicas may boot at once: one runs the migrations, the others wait on the lock.
    await runner.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.Migrations]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.Migrations]).catch(() => undefined);
    await runner.release();
  }
}
