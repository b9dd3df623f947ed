import { sign, verify } from 'node:crypto';
import { AppError } from '@study-buddy/contracts';
import { SigningKey } from './signing-keys';

export interface AccessClaims {
  sub: string;
  email: string;
  /** The session (refresh-token family) the token was issued for: logout ends it. */
  sid: string;
}

const ISSUER = 'study-buddy';
const AUDIENCE = 'study-buddy-api';
const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * EdDSA (Ed25519) access tokens with node:crypto and keys parsed once. A
 * generic JWT library re-parsed the key on every verification, which was a
 * third of the gateway's CPU; here the hot path is one signature check and
 * two small JSON parses. Everything unexpected is a 401: another alg, an
 * unknown kid, no or a past `exp`, a `sub` that is not a lower-case uuid.
 */
export class AccessTokens {
  private readonly byKid: Map<string, SigningKey>;
  private readonly signer: SigningKey;
  /**
   * Tokens already verified, by their exact text (signature included, so a
   * forged token never matches): a client presents the same token for its
   * whole life, and a map lookup is much cheaper than an Ed25519 check. The
   * expiry is still checked on every use; the oldest entry goes first when full.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();
  private static readonly CACHE_SIZE = 10_000;

  constructor(
    keys: SigningKey[],
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (keys.length === 0) throw new Error('AccessTokens needs at least one key');
    this.signer = keys[0];
    this.byKid = new Map(keys.map((k) => [k.kid, k]));
  }

  get jwks() {
    return { keys: [...this.byKid.values()].map((k) => k.jwk) };
  }

  issue(claims: AccessClaims): string {
    const iat = Math.floor(this.now() / 1000);
    const header = encode({ alg: 'EdDSA', typ: 'JWT', kid: this.signer.kid });
    const payload = encode({ ...claims, iss: ISSUER, aud: AUDIENCE, iat, exp: iat + this.ttlSeconds });
    const signature = sign(null, Buffer.from(`${header}.${payload}`), this.signer.privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  verify(token: string): AccessClaims {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > this.now()) return known.claims;
      this.verified.delete(token);
      throw invalid();
    }
    const claims = this.verifyFully(token);
    if (this.verified.size >= AccessTokens.CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims.claims;
  }

  private verifyFully(token: string): { claims: AccessClaims; expiresAtMs: number } {
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid();
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = parseJson(headerPart) as { alg?: unknown; kid?: unknown } | null;
    if (header?.alg !== 'EdDSA' || typeof header.kid !== 'string') throw invalid();
    const key = this.byKid.get(header.kid);
    if (!key) throw invalid();
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    if (!verifySignature(signed, key, signaturePart)) throw invalid();
    const claims = parseJson(payloadPart) as Record<string, unknown> | null;
    if (
      !claims ||
      claims.iss !== ISSUER ||
      claims.aud !== AUDIENCE ||
      typeof claims.exp !== 'number' ||
      claims.exp * 1000 <= this.now() ||
      typeof claims.sub !== 'string' ||
      !LOWER_UUID.test(claims.sub) ||
      typeof claims.sid !== 'string' ||
      !LOWER_UUID.test(claims.sid) ||
      typeof claims.email !== 'string'
    )
      throw invalid();
    return { claims: { sub: claims.sub, email: claims.email, sid: claims.sid }, expiresAtMs: claims.exp * 1000 };
  }
}

const invalid = () => new AppError('unauthorized', 'Invalid or expired access token: log in again');

function verifySignature(signed: Buffer, key: SigningKey, signature: string): boolean {
  try {
    return verify(null, signed, key.publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false; // a signature of the wrong length
  }
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
