/** What the process's exit status means; listed in `--help` and the README. */
export const EXIT = {
  ok: 0,
  /** A bug, or the server failing (5xx). */
  unexpected: 1,
  /** Bad arguments or options; a file or folder that would be overwritten without --force. */
  usage: 2,
  /** Not logged in, the session ended, or the credentials were refused. */
  auth: 3,
  /** Not enough credits (HTTP 402). */
  credits: 4,
  /** A video being waited for failed or was cancelled. */
  videoFailed: 5,
  /** The server could not be reached. */
  unreachable: 6,
  /** The server refused the request: not found, invalid, conflict, too large, rate limited. */
  refused: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  unexpected error (a bug, or the server failed)
  2  usage: bad arguments, or a file would be overwritten without --force
  3  not logged in, session ended, or credentials refused
  4  not enough credits
  5  a video failed or was cancelled (add --wait)
  6  server unreachable
  7  the server refused the request (not found, invalid, conflict, rate limited)`;

/** An error meant for the user: its message is printed as it is, and the process exits with `code`. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
