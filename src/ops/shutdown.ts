// Graceful shutdown. On SIGTERM/SIGINT/SIGHUP (to `node dist/src/main.js`, or to `npm start`, which forwards
// it) the process closes, in this order:
//   1. beforeApplicationShutdown: open SSE streams are ended;
//   2. the HTTP server stops accepting connections and waits for in-flight requests to finish;
//   3. onApplicationShutdown, root module first and global modules last: the BullMQ workers stop taking
//      jobs and finish the running ones (WorkerHost), the outbox relay and the deadline sweeper stop,
//      then the global providers go: queues and their Redis connection, the database pool;
//   4. only then, in embedded mode, the embedded PostgreSQL (the `after` step), so no query loses its server.
// Whatever still hangs after the timeout (a stuck job, a slow client) is cut short with exit code 1.
// Keep the orchestrator's grace period longer (docker compose: stop_grace_period 30s).
import { Logger, type INestApplicationContext } from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export interface ShutdownOptions {
  timeoutMs: number;
  /** Runs after Nest has drained and closed (e.g. stopping the embedded PostgreSQL). */
  after?: () => Promise<void>;
}

/**
 * Takes the signals over from Nest. Nest's own handler (enableShutdownHooks) runs the hooks but not app.close()
 * overrides and then re-raises the signal, so nothing could run after it: here the drain, then `after`, then exit 0.
 */
export function handleShutdownSignals(app: INestApplicationContext, { timeoutMs, after }: ShutdownOptions): void {
  (app as unknown as { unsubscribeFromProcessSignals(): void }).unsubscribeFromProcessSignals();
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return; // npm forwards the terminal's SIGINT that we also got: one drain
    shuttingDown = true;
    new Logger('Shutdown').log(`${signal}: draining`);
    setTimeout(() => {
      process.stderr.write(`caselink: graceful shutdown did not finish within ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    try {
      await app.close();
      await after?.();
      new Logger('Shutdown').log('stopped');
      process.exit(0);
    } catch (e) {
      process.stderr.write(`caselink: shutdown failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
  };
  for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));
}
