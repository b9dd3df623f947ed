import { generateKeyPairSync, sign } from 'node:crypto';
import { AppError } from '@study-buddy/contracts';
import { AccessTokens } from './access-tokens';
import { generateSigningKeyPem, parseSigningKeys } from './signing-keys';

const sub = '1a2b3c4d-1111-4111-8111-11111111abcd';
const sid = '22222222-2222-4222-8222-222222222222';
const claims = { sub, email: 'ada@example.com', sid };
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  const [oldKey, newKey] = parseSigningKeys(generateSigningKeyPem() + generateSigningKeyPem());
  const tokens = new AccessTokens([oldKey, newKey], 900);

  /** A token signed with `key` over exactly the header and payload given, as an attacker could craft. */
  const forge = (header: object, payload: object, key = oldKey.privateKey) => {
    const signed = `${b64(header)}.${b64(payload)}`;
    return `${signed}.${sign(null, Buffer.from(signed), key).toString('base64url')}`;
  };
  const valid = { ...claims, iss: 'study-buddy', aud: 'study-buddy-api', exp: Math.floor(Date.now() / 1000) + 60 };
  const header = { alg: 'EdDSA', typ: 'JWT', kid: oldKey.kid };

  it('issues EdDSA tokens with the first key’s kid and a 15-minute expiry, and verifies them', () => {
    const token = tokens.issue(claims);
    const [h, p] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString() || 'null'));
    expect(h).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: oldKey.kid });
    expect(p.exp - p.iat).toBe(900);
    expect(tokens.verify(token)).toEqual(claims);
  });

  it('accepts a token signed by any published key (rotation), and publishes every key', () => {
    const rotated = new AccessTokens([newKey, oldKey], 900);
    expect(tokens.verify(rotated.issue(claims))).toEqual(claims);
    expect(tokens.jwks.keys.map((k) => k.kid)).toEqual([oldKey.kid, newKey.kid]);
    expect(tokens.jwks.keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: oldKey.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(JSON.stringify(tokens.jwks)).not.toMatch(/"d"/);
  });

  it.each([
    ['no exp', forge(header, { ...valid, exp: undefined })],
    ['an exp in the past', forge(header, { ...valid, exp: Math.floor(Date.now() / 1000) - 1 })],
    ['an exp that is a string', forge(header, { ...valid, exp: '9999999999' })],
    ['a sub that is not a uuid', forge(header, { ...valid, sub: 'admin' })],
    ['an upper-case sub', forge(header, { ...valid, sub: sub.toUpperCase() })],
    ['no sid', forge(header, { ...valid, sid: undefined })],
    ['another issuer', forge(header, { ...valid, iss: 'elsewhere' })],
    ['another audience', forge(header, { ...valid, aud: 'other-api' })],
    ['an unknown kid', forge({ ...header, kid: 'unknown' }, valid)],
    ['no kid', forge({ alg: 'EdDSA' }, valid)],
    ['alg none', `${b64({ alg: 'none', kid: oldKey.kid })}.${b64(valid)}.`],
    ['alg HS256', forge({ ...header, alg: 'HS256' }, valid)],
    ['a key that is not published', forge(header, valid, generateKeyPairSync('ed25519').privateKey)],
    ['a truncated signature', forge(header, valid).slice(0, -10)],
    ['garbage', 'not.a.token'],
    ['two parts', 'a.b'],
  ])('refuses a token with %s', (_, token) => {
    expect(() => tokens.verify(token)).toThrow(AppError);
    expect(() => tokens.verify(token)).toThrow(/Invalid or expired access token/);
  });

  it('refuses a token once it has expired', () => {
    let now = Date.now();
    const clocked = new AccessTokens([oldKey], 60, () => now);
    const token = clocked.issue(claims);
    now += 60_000;
    expect(() => clocked.verify(token)).toThrow(AppError);
  });
});

describe('parseSigningKeys', () => {
  it('reads several PEM blocks, also with escaped newlines, and names each by its thumbprint', () => {
    const pems = generateSigningKeyPem() + generateSigningKeyPem();
    const keys = parseSigningKeys(pems.replace(/\n/g, '\\n'));
    expect(keys).toHaveLength(2);
    expect(keys[0].kid).toMatch(/^[\w-]{43}$/);
    expect(parseSigningKeys(pems)[0].kid).toBe(keys[0].kid);
  });

  it('refuses what is not a set of Ed25519 keys, without echoing the key', () => {
    expect(() => parseSigningKeys('secret')).toThrow(/no PEM private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(() => parseSigningKeys(rsa.toString())).toThrow(/key 1 is not an Ed25519 key/);
    const pem = generateSigningKeyPem();
    expect(() => parseSigningKeys(pem + pem)).toThrow(/the same key twice/);
    const broken = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
    expect(() => parseSigningKeys(broken)).toThrow(/^key 1 is not a readable PKCS#8 private key$/);
  });
});

describe('access tokens, verified once', () => {
  it('answers a token seen before from memory, but still refuses it once expired', () => {
    let now = Date.now();
    const [key] = parseSigningKeys(generateSigningKeyPem());
    const tokens = new AccessTokens([key], 60, () => now);
    const token = tokens.issue(claims);
    expect(tokens.verify(token)).toEqual(claims);
    expect(tokens.verify(token)).toEqual(claims);
    now += 60_000;
    expect(() => tokens.verify(token)).toThrow(AppError);
    expect(() => tokens.verify(token)).toThrow(AppError);
  });

  it('does not let a token with a changed signature through because its claims were seen', () => {
    const [key] = parseSigningKeys(generateSigningKeyPem());
    const tokens = new AccessTokens([key], 60);
    const token = tokens.issue(claims);
    tokens.verify(token);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => tokens.verify(tampered)).toThrow(AppError);
  });
});
