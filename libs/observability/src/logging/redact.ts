/**
 * The last line of defence for a log line: what a secret looks like, masked wherever it appears. Code
 * must not log secrets in the first place (the system test scans every line for the ones it used);
 * this catches the shapes an error message from a library might still carry.
 */
const SECRETS: [RegExp, string][] = [
  // JSON Web Tokens (access tokens), whole or as the payload of an Authorization header
  [/\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{10,}/g, '[token]'],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi, '$1 [redacted]'],
  // Anthropic and Stripe keys, Stripe webhook secrets
  [/\bsk-ant-[\w-]{6,}/g, '[anthropic key]'],
  [/\b(sk|rk|pk)_(live|test)_\w{6,}/g, '[stripe key]'],
  [/\bwhsec_\w{6,}/g, '[webhook secret]'],
  // password hashes
  [/\$argon2(id|i|d)\$[^\s"']+/g, '[password hash]'],
  [/\$2[aby]\$\d{2}\$[./\w]{53}/g, '[password hash]'],
  // URLs with credentials (postgres://user:password@host)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, '$1:[redacted]@'],
  // "password": "…", password=…
  [/\b(password|secret|api_?key|refresh_token|access_token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** `redact` over every string in a log line's fields (a few levels deep: log lines are shallow). */
export function redactDeep(value: unknown, depth = 4): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth - 1)]));
}
