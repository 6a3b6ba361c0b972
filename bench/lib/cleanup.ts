// Cleanup that survives a shared server's bad moment: PostgreSQL refusing connections (max_connections reached by
// other users) must not leave a bench database behind.
import { dropDatabase } from './service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** DROP DATABASE … WITH (FORCE), retried for up to ~30 s; throws the last error if it never succeeds. */
export async function dropDatabaseRetrying(serverUrl: string, name: string, attempts = 10): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await dropDatabase(serverUrl, name);
    } catch (e) {
      if (i >= attempts) throw e;
      await sleep(3000);
    }
  }
}
