/** What a caller is told to wait before trying again while a database or object store is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// socket-level failures: refused, reset, unreachable, unresolvable, silent
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// PostgreSQL: admin/crash shutdown, cannot connect now, too many connections; class 08 is connection exceptions
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres reports these without a code
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Client has encountered a connection error/,
  /^the object store did not answer/,
];

/**
 * True when `error` says a dependency (PostgreSQL, the object store) is unreachable rather than that the
 * request or the code is wrong: the caller gets a 503 to retry, not a 500.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(isDependencyOutage);
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)))
    return true;
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}
