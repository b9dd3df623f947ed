import { randomUUID } from 'node:crypto';
import { GatewayEvents } from '@study-buddy/contracts';
import { serviceSpec } from '@study-buddy/service-testing';
import { AccessTokens } from '../auth/access-tokens';
import { generateSigningKeyPem, parseSigningKeys } from '../auth/signing-keys';
import { gatewayUpcasters } from '../domain/user.upcasters';
import { hashSecret, parseRefreshToken } from './refresh-tokens';
import { SessionsService } from './sessions.service';

const email = 'ada@example.com';
const anIsoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

describe('SessionsService', () => {
  const tokens = new AccessTokens(parseSigningKeys(generateSigningKeyPem()), 900);
  let spec: ReturnType<typeof serviceSpec>;
  let sessions: SessionsService;
  let userId: string;

  beforeEach(async () => {
    spec = serviceSpec({ schemas: GatewayEvents, upcasters: gatewayUpcasters });
    sessions = new SessionsService(spec.store, tokens, { REFRESH_TOKEN_TTL_SECONDS: 3600 });
    userId = randomUUID();
    await spec.given([
      {
        stream: `user-${userId}`,
        type: 'UserRegistered',
        data: { userId, email, name: null, passwordHash: 'h', registeredAt: new Date().toISOString() },
      },
    ]);
  });

  const login = async () => (await spec.when(() => sessions.start({ userId, email, epoch: 0 }, {}))).result!;

  it('starts a session: an access token for it and an opaque refresh token of which only the hash is stored', async () => {
    const outcome = await spec.when(() => sessions.start({ userId, email, epoch: 0 }, { correlationId: 'c1' }));

    const pair = outcome.result!;
    const { sessionId, hash } = parseRefreshToken(pair.refreshToken)!;
    outcome.thenAppends([
      {
        stream: `user-session-${sessionId}`,
        type: 'SessionStarted',
        data: { sessionId, userId, epoch: 0, tokenHash: hash, startedAt: anIsoDate, expiresAt: anIsoDate },
      },
    ]);
    expect(JSON.stringify(outcome.appended)).not.toContain(pair.refreshToken.split('.')[1]);
    expect(outcome.appended[0].metadata).toMatchObject({ correlationId: 'c1', userId });
    expect(tokens.verify(pair.accessToken)).toEqual({ sub: userId, email, sid: sessionId });
    expect(pair).toMatchObject({ userId, expiresIn: 900, refreshExpiresIn: 3600 });
  });

  it('rotates on refresh: the old refresh token is spent, the new one works', async () => {
    const first = await login();
    const { sessionId, hash } = parseRefreshToken(first.refreshToken)!;

    const outcome = await spec.when(() => sessions.refresh(first.refreshToken, {}));

    const second = outcome.result!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    outcome.thenAppends([
      {
        stream: `user-session-${sessionId}`,
        type: 'SessionRefreshed',
        data: {
          sessionId,
          previousTokenHash: hash,
          tokenHash: hashSecret(second.refreshToken.split('.')[1]),
          refreshedAt: anIsoDate,
          expiresAt: anIsoDate,
        },
      },
    ]);
    expect(tokens.verify(second.accessToken).sid).toBe(sessionId);
    (await spec.when(() => sessions.refresh(second.refreshToken, {}))).thenReplies(expect.objectContaining({ userId }));
  });

  it('ends the whole family when a spent refresh token is presented again (a stolen copy)', async () => {
    const first = await login();
    const second = (await spec.when(() => sessions.refresh(first.refreshToken, {}))).result!;
    const { sessionId } = parseRefreshToken(first.refreshToken)!;

    const reuse = await spec.when(() => sessions.refresh(first.refreshToken, {}));

    expect(reuse.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/already used/) });
    expect(reuse.appended).toEqual([
      expect.objectContaining({
        stream: `user-session-${sessionId}`,
        type: 'SessionEnded',
        data: { sessionId, userId, reason: 'reuse_detected', endedAt: anIsoDate },
      }),
    ]);
    // the legitimate holder's current token is dead too
    (await spec.when(() => sessions.refresh(second.refreshToken, {}))).thenFails({ code: 'unauthorized' });
  });

  it('lets only one of two refreshes racing with the same token win; the other ends the family', async () => {
    const first = await login();

    const results = await Promise.allSettled([
      sessions.refresh(first.refreshToken, {}),
      sessions.refresh(first.refreshToken, {}),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ refreshToken: string }>;
    (await spec.when(() => sessions.refresh(winner.value.refreshToken, {}))).thenFails({ code: 'unauthorized' });
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['an unknown session', `${randomUUID()}.${'a'.repeat(43)}`],
    ['an upper-case session id', `${randomUUID().toUpperCase()}.${'a'.repeat(43)}`],
  ])('refuses %s with 401 and stores nothing', async (_, token) => {
    (await spec.when(() => sessions.refresh(token, {}))).thenFails({
      code: 'unauthorized',
      message: 'Invalid or expired refresh token: log in again',
    });
  });

  it('refuses a wrong secret for a real session, leaving the session usable', async () => {
    const first = await login();
    const sessionId = first.refreshToken.split('.')[0];

    (await spec.when(() => sessions.refresh(`${sessionId}.${'b'.repeat(43)}`, {}))).thenFails({ code: 'unauthorized' });
    (await spec.when(() => sessions.refresh(first.refreshToken, {}))).thenReplies(expect.objectContaining({ userId }));
  });

  it('logout ends this session only; logging out twice is harmless', async () => {
    const mine = await login();
    const other = await login();
    const sessionId = mine.refreshToken.split('.')[0];

    (await spec.when(() => sessions.end(sessionId, userId, {}))).thenAppends([
      {
        stream: `user-session-${sessionId}`,
        type: 'SessionEnded',
        data: { sessionId, userId, reason: 'logout', endedAt: anIsoDate },
      },
    ]);
    (await spec.when(() => sessions.end(sessionId, userId, {}))).thenAppendsNothing();
    (await spec.when(() => sessions.refresh(mine.refreshToken, {}))).thenFails({ code: 'unauthorized' });
    (await spec.when(() => sessions.refresh(other.refreshToken, {}))).thenReplies(expect.objectContaining({ userId }));
  });

  it('does not end another user’s session', async () => {
    const mine = await login();
    (await spec.when(() => sessions.end(mine.refreshToken.split('.')[0], randomUUID(), {}))).thenAppendsNothing();
  });

  it('logout-all moves the user to a new epoch: every earlier session stops refreshing, a new login works', async () => {
    const a = await login();
    const b = await login();

    (await spec.when(() => sessions.endAll(userId, {}))).thenAppends([
      { stream: `user-${userId}`, type: 'UserSessionsRevoked', data: { userId, epoch: 1, revokedAt: anIsoDate } },
    ]);

    for (const pair of [a, b]) {
      const outcome = await spec.when(() => sessions.refresh(pair.refreshToken, {}));
      expect(outcome.error).toMatchObject({ code: 'unauthorized' });
      expect(outcome.appended).toEqual([
        expect.objectContaining({
          type: 'SessionEnded',
          data: expect.objectContaining({ reason: 'sessions_revoked' }),
        }),
      ]);
    }
    const fresh = (await spec.when(() => sessions.start({ userId, email, epoch: 1 }, {}))).result!;
    (await spec.when(() => sessions.refresh(fresh.refreshToken, {}))).thenReplies(expect.objectContaining({ userId }));
  });
});
