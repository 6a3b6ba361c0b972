// Errors that mean "the database or Redis is not reachable right now": the
// request is answered 503 and, because the transaction did not commit, nothing was written.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// PostgreSQL SQLSTATE classes 08 (connection), 57P (operator intervention, e.g. pg_terminate_backend)
// and 53300 (too many connections: a reconnect refused while the server is full).
const PG_UNAVAILABLE = /^(08|57P|53300)/;

// TypeORM releases a transaction's query runner when its connection dies mid-way.
const TYPEORM_UNAVAILABLE = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
  'CannotExecuteNotConnectedError',
]);

export function isUnavailableError(error: unknown): boolean {
  // Duck-typed, not instanceof Error: a raw pg error (the read pool) may come from another realm (Node's net under Jest).
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return false;
  const e = error as Error & { code?: string; driverError?: { code?: string } };
  if (TYPEORM_UNAVAILABLE.has(e.name) || TYPEORM_UNAVAILABLE.has(e.constructor?.name)) return true;
  const code = e.driverError?.code ?? e.code;
  if (code && (CONNECTION_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
  return /Connection terminated|terminating connection|Client has encountered a connection error|Connection is closed|timeout exceeded when trying to connect/i.test(
    e.message,
  );
}
