import { CliError, EXIT } from './exit-codes';

/**
 * A `--limit` value: a whole number, at least 1, the same rule in every command (else exit code 2,
 * checked before anything else, the login included). `max`: what the API takes in one page; more
 * is that many.
 */
export function parseLimit(value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(limit) || limit < 1)
    throw new CliError(EXIT.usage, `--limit must be a whole number, at least 1 (not "${value}")`);
  return Math.min(limit, max);
}
