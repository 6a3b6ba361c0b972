// Graceful shutdown. On SIGTERM/SIGINT, Nest (enableShutdownHooks, in bootstrap) closes the app in this order:
//   1. beforeApplicationShutdown: open SSE streams are ended;
//   2. the HTTP server stops accepting connections and waits for in-flight requests to finish;
//   3. onApplicationShutdown, root module first and global modules last: the BullMQ workers stop taking
//      jobs and finish the running ones (WorkerHost), the outbox relay and the deadline sweeper stop,
//      then the global providers go: queues and their Redis connection, the database pool.
// Whatever still hangs after the timeout (a stuck job, a slow client) is cut short with exit code 1.
// Keep the orchestrator's grace period longer (docker compose: stop_grace_period 30s).
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function exitAfterShutdownTimeout(timeoutMs: number): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`caselink: graceful shutdown did not finish within ${timeoutMs} ms; exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
