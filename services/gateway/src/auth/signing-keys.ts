import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public half as published at /.well-known/jwks.json. */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
}

const PEM_BLOCK = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g;

/**
 * `JWT_SIGNING_KEYS`: one or more Ed25519 private keys (PKCS#8 PEM, one after
 * the other). The first signs; all are published and accepted, which is what
 * lets a new key be rolled in before it signs and an old one linger until the
 * tokens it signed have expired. The kid is the key's RFC 7638 thumbprint, so
 * it cannot be mistyped. Parsed once at start: never per request.
 */
export function parseSigningKeys(pems: string): SigningKey[] {
  // A value pasted into a single-line setting may carry its newlines as `\n`.
  const blocks = pems.replace(/\\n/g, '\n').match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error('holds no PEM private key (-----BEGIN PRIVATE KEY-----)');
  const keys = blocks.map((pem, i) => {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new Error(`key ${i + 1} is not a readable PKCS#8 private key`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`key ${i + 1} is not an Ed25519 key`);
    const publicKey = createPublicKey(privateKey);
    const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
    const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
    return {
      kid,
      privateKey,
      publicKey,
      jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' } as const,
    };
  });
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('holds the same key twice');
  return keys;
}

/** A fresh Ed25519 key as PKCS#8 PEM (development runs, tests, `npm run keys:generate`). */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
