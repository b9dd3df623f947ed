import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What must never reach a log line, whatever a test did: the shapes of tokens and password hashes. */
const SECRET_SHAPES: [string, RegExp][] = [
  ['an access token', /eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{10,}/],
  ['a refresh token', /\brt_[\w-]{20,}/],
  ['a password hash', /\$argon2(id|i|d)\$|\$2[aby]\$\d\d\$/],
];

/**
 * Reads every service's log of a system-test run: each line must be one JSON object with `time`,
 * `level` and `service`, and none may hold a secret given (passwords, keys, transcript text) or
 * anything shaped like a token or a password hash. Returns the problems found (empty: clean).
 */
export function scanLogs(directory: string, secrets: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const file of readdirSync(directory)) {
    const lines = readFileSync(path.join(directory, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const where = `${file}:${i + 1}`;
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        if (typeof line.time !== 'string' || typeof line.level !== 'string' || typeof line.service !== 'string')
          problems.push(`${where}: no time, level or service: ${text.slice(0, 200)}`);
      } catch {
        problems.push(`${where}: not a JSON line: ${text.slice(0, 200)}`);
      }
      for (const [what, secret] of Object.entries(secrets))
        if (secret && text.includes(secret)) problems.push(`${where}: holds the ${what}`);
      for (const [what, shape] of SECRET_SHAPES) if (shape.test(text)) problems.push(`${where}: holds ${what}`);
    });
  }
  return problems;
}
