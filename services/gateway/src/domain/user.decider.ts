import { AppError, Decider, GatewayEvent } from '@study-buddy/contracts';

/**
 * Users (stream `user-<id>`) and e-mail uniqueness (stream
 * `user-email-<sha256(email)>`, created only once). Pure.
 */

export type UserCommand = {
  type: 'RegisterUser';
  userId: string;
  email: string;
  name?: string;
  passwordHash: string;
  now: string;
};
export type EmailCommand = { type: 'ClaimEmail'; userId: string; email: string };

export interface UserState {
  registered: boolean;
  userId: string | null;
  email: string | null;
  passwordHash: string | null;
  name: string | null;
}

export const userStream = (userId: string) => `user-${userId}`;

export const userDecider: Decider<UserCommand, GatewayEvent, UserState> = {
  initialState: (): UserState => ({ registered: false, userId: null, email: null, passwordHash: null, name: null }),
  decide(command: UserCommand, state: UserState): GatewayEvent[] {
    if (state.registered) throw new AppError('email_taken', 'An account with this e-mail address already exists');
    const { userId, email, name, passwordHash, now } = command;
    return [{ type: 'UserRegistered', data: { userId, email, name: name || null, passwordHash, registeredAt: now } }];
  },
  evolve(state: UserState, event: GatewayEvent): UserState {
    if (event.type !== 'UserRegistered') return state;
    return {
      registered: true,
      userId: event.data.userId,
      email: event.data.email,
      passwordHash: event.data.passwordHash,
      name: event.data.name,
    };
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
