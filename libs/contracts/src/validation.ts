import { z } from 'zod';

/**
 * The one string sanitiser of the platform. PostgreSQL `text` cannot hold a NUL
 * byte and a lone UTF-16 surrogate has no UTF-8 encoding, so either would fail
 * deep inside a service (a 500, possibly after a side effect). They are refused
 * where input is parsed instead, with a 400 naming the field.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unsafeTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone surrogate)';
  return undefined;
}

/** The first string (value or key, at any depth) that `unsafeTextReason` refuses, with its path. */
export function findUnsafeText(value: unknown, path: string[] = []): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = unsafeTextReason(value);
    return message ? { path: path.join('.'), message } : undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) return { path: [...path, '(key)'].join('.'), message: keyReason };
      const found = findUnsafeText(child, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** A string field that PostgreSQL and UTF-8 can hold; every request schema's text goes through this check. */
export const safeText = () =>
  z.string().superRefine((value, ctx) => {
    const message = unsafeTextReason(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id taken from a URL: a UUID in any letter case names the same resource on
 * every route, so it is lower-cased once, here, before anything looks it up.
 * Anything that is not a UUID cannot name a resource; callers answer 404.
 */
export function normaliseResourceId(value: string): string | null {
  return UUID.test(value) ? value.toLowerCase() : null;
}

/** A resource id in an RPC request: any case accepted, lower case passed on. */
export const resourceId = z
  .string()
  .max(100)
  .transform((v) => normaliseResourceId(v) ?? v);
