import { AppError, assertNever, Decider, GatewayEvent } from '@study-buddy/contracts';

/**
 * One login's refresh-token family (stream `user-session-<sessionId>`). Each
 * refresh spends the presented token and records the hash of its successor;
 * presenting a spent token again means two parties hold the family (a stolen
 * token), so the whole session ends. Pure: hashes, times and the user's
 * current session epoch come in with the command.
 */

export type SessionCommand =
  | {
      type: 'StartSession';
      sessionId: string;
      userId: string;
      epoch: number;
      tokenHash: string;
      now: string;
      expiresAt: string;
    }
  | {
      type: 'RefreshSession';
      presentedHash: string;
      newHash: string;
      userEpoch: number;
      now: string;
      expiresAt: string;
    }
  | { type: 'EndSession'; now: string };

export interface SessionState {
  status: 'none' | 'active' | 'ended';
  sessionId: string | null;
  userId: string | null;
  epoch: number;
  tokenHash: string | null;
  spentHashes: string[];
  expiresAt: string | null;
}

export const sessionStream = (sessionId: string) => `user-session-${sessionId}`;

export const REFRESH_REFUSED = 'Invalid or expired refresh token: log in again';
const refused = () => new AppError('unauthorized', REFRESH_REFUSED);

export const sessionDecider: Decider<SessionCommand, GatewayEvent, SessionState> = {
  initialState: (): SessionState => ({
    status: 'none',
    sessionId: null,
    userId: null,
    epoch: 0,
    tokenHash: null,
    spentHashes: [],
    expiresAt: null,
  }),
  decide(command: SessionCommand, state: SessionState): GatewayEvent[] {
    switch (command.type) {
      case 'StartSession': {
        if (state.status !== 'none') return []; // a retried start
        const { sessionId, userId, epoch, tokenHash, now, expiresAt } = command;
        return [{ type: 'SessionStarted', data: { sessionId, userId, epoch, tokenHash, startedAt: now, expiresAt } }];
      }
      case 'RefreshSession': {
        if (state.status !== 'active') throw refused();
        const end = (reason: 'reuse_detected' | 'sessions_revoked'): GatewayEvent[] => [
          {
            type: 'SessionEnded',
            data: { sessionId: state.sessionId!, userId: state.userId!, reason, endedAt: command.now },
          },
        ];
        if (state.spentHashes.includes(command.presentedHash)) return end('reuse_detected');
        if (command.presentedHash !== state.tokenHash) throw refused();
        if (state.epoch !== command.userEpoch) return end('sessions_revoked');
        if (command.now >= state.expiresAt!) throw refused();
        return [
          {
            type: 'SessionRefreshed',
            data: {
              sessionId: state.sessionId!,
              previousTokenHash: state.tokenHash,
              tokenHash: command.newHash,
              refreshedAt: command.now,
              expiresAt: command.expiresAt,
            },
          },
        ];
      }
      case 'EndSession':
        if (state.status !== 'active') return []; // logging out twice is fine
        return [
          {
            type: 'SessionEnded',
            data: { sessionId: state.sessionId!, userId: state.userId!, reason: 'logout', endedAt: command.now },
          },
        ];
      default:
        return assertNever(command, 'session command');
    }
  },
  evolve(state: SessionState, event: GatewayEvent): SessionState {
    switch (event.type) {
      case 'SessionStarted':
        return {
          ...state,
          status: 'active',
          sessionId: event.data.sessionId,
          userId: event.data.userId,
          epoch: event.data.epoch,
          tokenHash: event.data.tokenHash,
          expiresAt: event.data.expiresAt,
        };
      case 'SessionRefreshed':
        return {
          ...state,
          tokenHash: event.data.tokenHash,
          spentHashes: [...state.spentHashes, event.data.previousTokenHash],
          expiresAt: event.data.expiresAt,
        };
      case 'SessionEnded':
        return { ...state, status: 'ended' };
      default:
        return state;
    }
  },
};
