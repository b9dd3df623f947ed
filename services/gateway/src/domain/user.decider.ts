import { AppError, assertNever, Decider, GatewayEvent } from '@study-buddy/contracts';

/**
 * Users (stream `user-<id>`) and e-mail uniqueness (stream
 * `user-email-<sha256(email)>`, created only once). Pure.
 */

export interface ProfileChanges {
  name?: string | null;
  defaultSubject?: string | null;
  noteLanguage?: string | null;
  assessment?: boolean | null;
}

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; email: string; name?: string; passwordHash: string; now: string }
  | { type: 'UpdateProfile'; changes: ProfileChanges; now: string }
  | { type: 'ChangePassword'; passwordHash: string; now: string }
  | { type: 'RevokeAllSessions'; now: string };
export type EmailCommand = { type: 'ClaimEmail'; userId: string; email: string };

export interface UserPreferences {
  defaultSubject: string | null;
  noteLanguage: string | null;
  assessment: boolean | null;
}

export interface UserState extends UserPreferences {
  registered: boolean;
  userId: string | null;
  email: string | null;
  passwordHash: string | null;
  name: string | null;
  /** Sessions started in an earlier epoch cannot refresh: logout-all and a password change move it on. */
  sessionEpoch: number;
}

export const userStream = (userId: string) => `user-${userId}`;

const PROFILE_FIELDS = ['name', 'defaultSubject', 'noteLanguage', 'assessment'] as const;

export const userDecider: Decider<UserCommand, GatewayEvent, UserState> = {
  initialState: (): UserState => ({
    registered: false,
    userId: null,
    email: null,
    passwordHash: null,
    name: null,
    defaultSubject: null,
    noteLanguage: null,
    assessment: null,
    sessionEpoch: 0,
  }),
  decide(command: UserCommand, state: UserState): GatewayEvent[] {
    if (command.type === 'RegisterUser') {
      if (state.registered) throw new AppError('email_taken', 'An account with this e-mail address already exists');
      const { userId, email, name, passwordHash, now } = command;
      return [{ type: 'UserRegistered', data: { userId, email, name: name || null, passwordHash, registeredAt: now } }];
    }
    if (!state.registered || !state.userId) throw new AppError('not_found', 'User not found');
    const userId = state.userId;
    switch (command.type) {
      case 'UpdateProfile': {
        // Only real changes are recorded: repeating a PATCH appends nothing.
        const changed = Object.fromEntries(
          PROFILE_FIELDS.filter((f) => command.changes[f] !== undefined && command.changes[f] !== state[f]).map((f) => [
            f,
            command.changes[f],
          ]),
        );
        if (Object.keys(changed).length === 0) return [];
        return [{ type: 'UserProfileUpdated', data: { userId, ...changed, updatedAt: command.now } }];
      }
      case 'ChangePassword':
        return [
          {
            type: 'UserPasswordChanged',
            data: { userId, passwordHash: command.passwordHash, epoch: state.sessionEpoch + 1, changedAt: command.now },
          },
        ];
      case 'RevokeAllSessions':
        return [
          { type: 'UserSessionsRevoked', data: { userId, epoch: state.sessionEpoch + 1, revokedAt: command.now } },
        ];
      default:
        return assertNever(command, 'user command');
    }
  },
  evolve(state: UserState, event: GatewayEvent): UserState {
    switch (event.type) {
      case 'UserRegistered':
        return {
          ...state,
          registered: true,
          userId: event.data.userId,
          email: event.data.email,
          passwordHash: event.data.passwordHash,
          name: event.data.name,
        };
      case 'UserProfileUpdated': {
        const { userId: _u, updatedAt: _t, ...changes } = event.data;
        return { ...state, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
      }
      case 'UserPasswordChanged':
        return { ...state, passwordHash: event.data.passwordHash, sessionEpoch: event.data.epoch };
      case 'UserSessionsRevoked':
        return { ...state, sessionEpoch: event.data.epoch };
      default:
        return state;
    }
  },
};

export interface EmailClaimState {
  claimedBy: string | null;
}

export const emailClaimDecider: Decider<EmailCommand, GatewayEvent, EmailClaimState> = {
  initialState: (): EmailClaimState => ({ claimedBy: null }),
  /** A second claim by the same user is a retry and succeeds; by anyone else it is refused. */
  decide(command: EmailCommand, state: EmailClaimState): GatewayEvent[] {
    if (state.claimedBy === command.userId) return [];
    if (state.claimedBy) throw new AppError('email_taken', 'An account with this e-mail address already exists');
    return [{ type: 'UserEmailClaimed', data: { userId: command.userId, email: command.email } }];
  },
  evolve(state: EmailClaimState, event: GatewayEvent): EmailClaimState {
    return event.type === 'UserEmailClaimed' ? { claimedBy: event.data.userId } : state;
  },
};
