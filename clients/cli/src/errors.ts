import { ApiError } from '@study-buddy/api-client';
import { CliError, EXIT, ExitCode } from './exit-codes';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

/** How an error is told to the user: one plain line and an exit code; never a stack trace or a token. */
export function describeError(error: unknown, server: string): { code: ExitCode; message: string; apiCode?: string } {
  if (error instanceof CliError) return { code: error.code, message: error.message };
  if (error instanceof ApiError) {
    const apiCode = error.code;
    if (error.status === 401) {
      // the gateway's message may say it already ("…: log in again")
      const said = /log in again\W*$/i.test(error.message)
        ? error.message.replace(/\W*log in again\W*$/i, '')
        : error.message;
      return { code: EXIT.auth, apiCode, message: `${said} — log in again: study-buddy login` };
    }
    if (error.status === 402)
      return { code: EXIT.credits, apiCode, message: `${error.message} (see: study-buddy buy)` };
    if (error.status >= 500) return { code: EXIT.unexpected, apiCode, message: `The server failed: ${error.message}` };
    const retry = error.retryAfterSeconds ? ` (try again in ${error.retryAfterSeconds} s)` : '';
    return { code: EXIT.refused, apiCode, message: `${error.message}${retry}` };
  }
  const network = networkCode(error);
  if (network || (error instanceof TypeError && error.message === 'fetch failed'))
    return { code: EXIT.unreachable, message: `Cannot reach the server at ${server}${network ? ` (${network})` : ''}` };
  const message = error instanceof Error ? error.message : String(error);
  return { code: EXIT.unexpected, message: `Unexpected error: ${message}` };
}
