import { Writable } from 'node:stream';

/** Where a command writes, and how: JSON for scripts, or text (styled when it goes to a terminal). */
export interface Output {
  readonly json: boolean;
  /** stdout is a terminal: colours, redrawn progress. */
  readonly tty: boolean;
  readonly stdout: Writable & { columns?: number; rows?: number; isTTY?: boolean };
  readonly stderr: Writable;
  line(text?: string): void;
  /** The result of a command in --json mode (one JSON document). */
  result(value: unknown): void;
  warn(text: string): void;
}

export function createOutput(options: {
  json: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  tty?: boolean;
}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const tty = options.tty ?? (stdout.isTTY === true && !process.env.NO_COLOR);
  return {
    json: options.json,
    tty,
    stdout,
    stderr,
    line: (text = '') => void stdout.write(`${text}\n`),
    result: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    warn: (text) => void stderr.write(`study-buddy: ${text}\n`),
  };
}

export const style = {
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  italic: (s: string) => `\x1b[3m${s}\x1b[23m`,
  underline: (s: string) => `\x1b[4m${s}\x1b[24m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  green: (s: string) => `\x1b[32m${s}\x1b[39m`,
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
};

/** Text that came from the server, made safe for a terminal: no escape sequences or other control characters. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}
