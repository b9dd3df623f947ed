import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, GatewayEvents } from '@study-buddy/contracts';
import { EventStore, handleCommand, loadState } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { AccessTokens } from '../auth/access-tokens';
import { GATEWAY_ENV, GatewayEnv } from '../config';
import { REFRESH_REFUSED, sessionDecider, sessionStream } from '../domain/session.decider';
import { userDecider, userStream } from '../domain/user.decider';
import { newRefreshToken, parseRefreshToken } from './refresh-tokens';

export const ACCESS_TOKENS = Symbol('ACCESS_TOKENS');

export interface TokenPair {
  userId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
}

/** Sessions: one refresh-token family per login, rotated on every refresh. */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
    @Inject(GATEWAY_ENV) private readonly env: Pick<GatewayEnv, 'REFRESH_TOKEN_TTL_SECONDS'>,
  ) {}

  /** A new session for a user who just proved who they are; `epoch` is the user's current session epoch. */
  async start(user: { userId: string; email: string; epoch: number }, context: MessageContext): Promise<TokenPair> {
    const sessionId = randomUUID();
    const { token, hash } = newRefreshToken(sessionId);
    const now = new Date();
    await handleCommand(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      {
        type: 'StartSession',
        sessionId,
        userId: user.userId,
        epoch: user.epoch,
        tokenHash: hash,
        now: now.toISOString(),
        expiresAt: this.expiry(now),
      },
      { metadata: { ...context, userId: user.userId }, schemas: GatewayEvents, idempotencyKey: `session/${sessionId}` },
    );
    return this.pair(user.userId, user.email, sessionId, token);
  }

  /**
   * Spends the presented refresh token for a new pair. A token that was
   * already spent ends the session (both the thief's and the owner's copies
   * stop working), and the caller gets 401 like for any refused token.
   */
  async refresh(refreshToken: string, context: MessageContext): Promise<TokenPair> {
    const presented = parseRefreshToken(refreshToken);
    if (!presented) throw new AppError('unauthorized', REFRESH_REFUSED);
    const session = await loadState(this.store, sessionStream(presented.sessionId), sessionDecider);
    if (session.state.status !== 'active') throw new AppError('unauthorized', REFRESH_REFUSED);
    const userId = session.state.userId!;
    const user = await loadState(this.store, userStream(userId), userDecider);
    const { token, hash } = newRefreshToken(presented.sessionId);
    const now = new Date();
    // No idempotency key: two refreshes racing with one token must not both win. The expected
    // revision makes the second re-decide, see the token spent, and end the family.
    const result = await handleCommand(
      this.store,
      sessionStream(presented.sessionId),
      sessionDecider,
      {
        type: 'RefreshSession',
        presentedHash: presented.hash,
        newHash: hash,
        userEpoch: user.state.sessionEpoch,
        now: now.toISOString(),
        expiresAt: this.expiry(now),
      },
      { metadata: { ...context, userId }, schemas: GatewayEvents },
    );
    const ended = result.newEvents.find((e) => e.type === 'SessionEnded');
    if (ended) {
      const reuse = ended.type === 'SessionEnded' && ended.data.reason === 'reuse_detected';
      throw new AppError(
        'unauthorized',
        reuse
          ? 'This refresh token was already used: the session has been ended for safety; log in again'
          : REFRESH_REFUSED,
      );
    }
    return this.pair(userId, user.state.email!, presented.sessionId, token);
  }

  /** Logout: this session's refresh token stops working. Repeating it is harmless. */
  async end(sessionId: string, userId: string, context: MessageContext): Promise<void> {
    const session = await loadState(this.store, sessionStream(sessionId), sessionDecider);
    if (session.state.userId !== userId) return; // not this user's: nothing to end
    await handleCommand(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      { type: 'EndSession', now: new Date().toISOString() },
      { metadata: { ...context, userId }, schemas: GatewayEvents, idempotencyKey: `session-end/${sessionId}` },
    );
  }

  /** Logout everywhere: every session started before now can no longer refresh. */
  async endAll(userId: string, context: MessageContext): Promise<void> {
    await handleCommand(
      this.store,
      userStream(userId),
      userDecider,
      { type: 'RevokeAllSessions', now: new Date().toISOString() },
      { metadata: { ...context, userId }, schemas: GatewayEvents },
    );
  }

  private expiry(now: Date): string {
    return new Date(now.getTime() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000).toISOString();
  }

  private pair(userId: string, email: string, sessionId: string, refreshToken: string): TokenPair {
    return {
      userId,
      accessToken: this.tokens.issue({ sub: userId, email, sid: sessionId }),
      refreshToken,
      expiresIn: this.tokens.ttlSeconds,
      refreshExpiresIn: this.env.REFRESH_TOKEN_TTL_SECONDS,
    };
  }
}
