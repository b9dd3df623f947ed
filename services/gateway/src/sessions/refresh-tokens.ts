import { createHash, randomBytes } from 'node:crypto';

/**
 * An opaque refresh token: `<sessionId>.<32 random bytes, base64url>`. The
 * session id finds the family's stream; only the sha256 of the secret part is
 * ever stored, so a leaked event store yields no usable token.
 */
const FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function newRefreshToken(sessionId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${sessionId}.${secret}`, hash: hashSecret(secret) };
}

export function parseRefreshToken(token: string): { sessionId: string; hash: string } | null {
  const match = FORMAT.exec(token);
  return match ? { sessionId: match[1], hash: hashSecret(match[2]) } : null;
}
