import { AppError, BillingEvent, CreditReleaseCause, Decider } from '@study-buddy/contracts';

/** The credit ledger of one user (stream `account-<userId>`). Pure: no I/O, no clock (time comes in commands). */

/** `attempt`: which submission of the video the hold is for (absent = 1, the first); a retry holds its own. */
export type AccountCommand =
  | { type: 'OpenAccount'; userId: string; signupCredits: number; now: string }
  | { type: 'ReserveCredit'; userId: string; videoId: string; attempt?: number; now: string }
  | { type: 'ConfirmReservation'; userId: string; videoId: string; attempt?: number; now: string }
  | { type: 'CaptureCredit'; userId: string; videoId: string; attempt?: number; now: string }
  | {
      type: 'ReleaseCredit';
      userId: string;
      videoId: string;
      attempt?: number;
      cause: CreditReleaseCause;
      reason: string;
      now: string;
    };

/**
 * `reserved` until the video is accepted (`confirmed`), then `captured` on completion or `released` on
 * failure; `orphaned` when released because the video never arrived (the only release a late video undoes).
 */
export type ReservationStatus = 'reserved' | 'confirmed' | 'captured' | 'released' | 'orphaned';

export interface AccountState {
  open: boolean;
  /** Credits the user can spend now (reserved credits are not included). */
  available: number;
  /** By reservation key: the video id for its first attempt, `<videoId>#<n>` for attempt n > 1. */
  reservations: Record<string, ReservationStatus>;
}

export const reservationKey = (videoId: string, attempt = 1) => (attempt > 1 ? `${videoId}#${attempt}` : videoId);

/** The attempt as events record it: absent for the first, so first attempts keep the shape they always had. */
const attemptField = (attempt = 1) => (attempt > 1 ? { attempt } : {});

export const accountStream = (userId: string) => `account-${userId}`;

export function initialState(): AccountState {
  return { open: false, available: 0, reservations: {} };
}

const isHeld = (state: AccountState, key: string) => ['reserved', 'confirmed'].includes(state.reservations[key] ?? '');

export function reservedCount(state: AccountState): number {
  return Object.values(state.reservations).filter((s) => s === 'reserved' || s === 'confirmed').length;
}

export function decide(command: AccountCommand, state: AccountState): BillingEvent[] {
  const { userId, now } = command;
  switch (command.type) {
    case 'OpenAccount': {
      if (state.open) return [];
      const events: BillingEvent[] = [{ type: 'AccountOpened', data: { userId, openedAt: now } }];
      if (command.signupCredits > 0) {
        events.push({
          type: 'CreditsGranted',
          data: { userId, amount: command.signupCredits, reason: 'signup', grantedAt: now },
        });
      }
      return events;
    }
    case 'ReserveCredit': {
      const current = state.reservations[reservationKey(command.videoId, command.attempt)];
      // Idempotent on the video's attempt: a repeated submission (or retry) must not charge twice.
      if (current === 'reserved' || current === 'confirmed' || current === 'captured') return [];
      if (!state.open)
        throw new AppError('insufficient_credits', 'You have no credits yet: your account is still being set up', {
          balance: 0,
        });
      if (state.available < 1) {
        throw new AppError(
          'insufficient_credits',
          'You have no credits left: buy a credit package to process more videos',
          {
            balance: state.available,
            required: 1,
          },
        );
      }
      return [
        {
          type: 'CreditReserved',
          data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, reservedAt: now },
        },
      ];
    }
    case 'ConfirmReservation': {
      const status = state.reservations[reservationKey(command.videoId, command.attempt)];
      const confirmed: BillingEvent = {
        type: 'CreditReservationConfirmed',
        data: { userId, videoId: command.videoId, ...attemptField(command.attempt), confirmedAt: now },
      };
      if (status === 'reserved') return [confirmed];
      // The hold was released as orphaned, then the video turned up after all: charge it again if possible.
      if (status === 'orphaned' && state.available >= 1) {
        return [
          {
            type: 'CreditReserved',
            data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, reservedAt: now },
          },
          confirmed,
        ];
      }
      return [];
    }
    case 'CaptureCredit':
      if (!isHeld(state, reservationKey(command.videoId, command.attempt))) return [];
      return [
        {
          type: 'CreditCaptured',
          data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, capturedAt: now },
        },
      ];
    case 'ReleaseCredit':
      // Exactly once per attempt: a hold already captured or released (cancel and failure both arriving) stays.
      if (!isHeld(state, reservationKey(command.videoId, command.attempt))) return [];
      return [
        {
          type: 'CreditReleased',
          data: {
            userId,
            videoId: command.videoId,
            ...attemptField(command.attempt),
            amount: 1,
            cause: command.cause,
            reason: command.reason,
            releasedAt: now,
          },
        },
      ];
  }
}

export function evolve(state: AccountState, event: BillingEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened':
      return { ...state, open: true };
    case 'CreditsGranted':
      return { ...state, available: state.available + event.data.amount };
    case 'CreditReserved':
      return {
        ...state,
        available: state.available - 1,
        reservations: { ...state.reservations, [keyOf(event.data)]: 'reserved' },
      };
    case 'CreditReservationConfirmed':
      return { ...state, reservations: { ...state.reservations, [keyOf(event.data)]: 'confirmed' } };
    case 'CreditCaptured':
      return { ...state, reservations: { ...state.reservations, [keyOf(event.data)]: 'captured' } };
    case 'CreditReleased':
      return {
        ...state,
        available: state.available + 1,
        reservations: {
          ...state.reservations,
          // a cancelled or failed attempt's credit is never charged again: only an orphaned hold is
          [keyOf(event.data)]: event.data.cause === 'orphaned' ? 'orphaned' : 'released',
        },
      };
  }
}

const keyOf = (data: { videoId: string; attempt?: number }) => reservationKey(data.videoId, data.attempt);

export const accountDecider: Decider<AccountCommand, BillingEvent, AccountState> = { decide, evolve, initialState };
