import { AppError, GatewayEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { SessionCommand, sessionDecider, SessionState } from './session.decider';

const sessionId = '55555555-5555-4555-8555-555555555555';
const userId = '11111111-1111-4111-8111-111111111111';
const [h1, h2, h3] = ['1', '2', '3'].map((c) => c.repeat(64));
const t0 = '2026-12-01T10:00:00.000Z';
const t1 = '2026-12-01T10:20:00.000Z';
const later = '2026-12-31T10:00:00.000Z';
const expired = '2027-01-02T10:00:00.000Z';

describe('session decider (a refresh-token family)', () => {
  const spec = deciderSpec<SessionCommand, GatewayEvent, SessionState>(sessionDecider);
  const started: GatewayEvent = {
    type: 'SessionStarted',
    data: { sessionId, userId, epoch: 0, tokenHash: h1, startedAt: t0, expiresAt: '2026-12-31T10:00:00.000Z' },
  };
  const refreshed: GatewayEvent = {
    type: 'SessionRefreshed',
    data: { sessionId, previousTokenHash: h1, tokenHash: h2, refreshedAt: t1, expiresAt: later },
  };
  const refresh = (presentedHash: string, now = t1, userEpoch = 0): SessionCommand => ({
    type: 'RefreshSession',
    presentedHash,
    newHash: presentedHash === h1 ? h2 : h3,
    userEpoch,
    now,
    expiresAt: later,
  });
  const ended = (reason: 'logout' | 'reuse_detected' | 'sessions_revoked', endedAt = t1): GatewayEvent => ({
    type: 'SessionEnded',
    data: { sessionId, userId, reason, endedAt },
  });

  it('starts a session with the hash of its first refresh token', () =>
    spec
      .given([])
      .when({
        type: 'StartSession',
        sessionId,
        userId,
        epoch: 0,
        tokenHash: h1,
        now: t0,
        expiresAt: started.data.expiresAt as string,
      })
      .then([started]));
  it('treats a repeated start as a retry', () =>
    spec
      .given([started])
      .when({ type: 'StartSession', sessionId, userId, epoch: 0, tokenHash: h1, now: t0, expiresAt: t1 })
      .thenNothingHappens());

  it('rotates the current token: the presented one is spent, its successor recorded', () =>
    spec.given([started]).when(refresh(h1)).then([refreshed]));
  it('rotates again with the successor', () =>
    spec
      .given([started, refreshed])
      .when(refresh(h2, later.replace('31', '30')))
      .then([
        {
          type: 'SessionRefreshed',
          data: {
            sessionId,
            previousTokenHash: h2,
            tokenHash: h3,
            refreshedAt: '2026-12-30T10:00:00.000Z',
            expiresAt: later,
          },
        },
      ]));
  it('ends the whole family when a spent token comes back (reuse: someone else holds it)', () =>
    spec
      .given([started, refreshed])
      .when(refresh(h1))
      .then([ended('reuse_detected')]));
  it('refuses a token it never issued, without ending the session', () =>
    spec
      .given([started])
      .when(refresh(h3))
      .thenThrows(AppError, /Invalid or expired refresh token/));
  it('refuses an expired session', () =>
    spec
      .given([started])
      .when(refresh(h1, expired))
      .thenThrows(AppError, /expired/));
  it('ends a session from an earlier epoch (logout-all or a password change since)', () =>
    spec
      .given([started])
      .when(refresh(h1, t1, 1))
      .then([ended('sessions_revoked')]));
  it('refuses every token once ended', () =>
    spec
      .given([started, refreshed, ended('reuse_detected')])
      .when(refresh(h2))
      .thenThrows(AppError, /Invalid or expired/));
  it('refuses a session that never started', () =>
    spec
      .given([])
      .when(refresh(h1))
      .thenThrows(AppError, /Invalid or expired/));

  it('logs out once; a second logout changes nothing', () => {
    spec
      .given([started])
      .when({ type: 'EndSession', now: t1 })
      .then([ended('logout')]);
    spec
      .given([started, ended('logout')])
      .when({ type: 'EndSession', now: t1 })
      .thenNothingHappens();
  });
});
