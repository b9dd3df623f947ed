import { AppError, BillingEvent, CreditReleaseCause, Decider } from '@study-buddy/contracts';

/** The credit ledger of one user (stream `account-<userId>`). Pure: no I/O, no clock (time comes in commands). */

export type AccountCommand =
  | { type: 'OpenAccount'; userId: string; signupCredits: number; now: string }
  | { type: 'ReserveCredit'; userId: string; videoId: string; now: string }
  | { type: 'ConfirmReservation'; userId: string; videoId: string; now: string }
  | { type: 'CaptureCredit'; userId: string; videoId: string; now: string }
  | { type: 'ReleaseCredit'; userId: string; videoId: string; cause: CreditReleaseCause; reason: string; now: string };

/**
 * `reserved` until the video is accepted (`confirmed`), then `captured` on completion or `released` on
 * failure; `orphaned` when released because the video never arrived (the only release a late video undoes).
 */
export type ReservationStatus = 'reserved' | 'confirmed' | 'captured' | 'released' | 'orphaned';

export interface AccountState {
  open: boolean;
  /** Credits the user can spend now (reserved credits are not included). */
  available: number;
  reservations: Record<string, ReservationStatus>;
}

export const accountStream = (userId: string) => `account-${userId}`;

export function initialState(): AccountState {
  return { open: false, available: 0, reservations: {} };
}

const isHeld = (state: AccountState, videoId: string) =>
  ['reserved', 'confirmed'].includes(state.reservations[videoId] ?? '');

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
      const current = state.reservations[command.videoId];
      // Idempotent on the video: a retried submission must not charge twice.
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
      return [{ type: 'CreditReserved', data: { userId, videoId: command.videoId, amount: 1, reservedAt: now } }];
    }
    case 'ConfirmReservation': {
      const status = state.reservations[command.videoId];
      const confirmed: BillingEvent = {
        type: 'CreditReservationConfirmed',
        data: { userId, videoId: command.videoId, confirmedAt: now },
      };
      if (status === 'reserved') return [confirmed];
      // The hold was released as orphaned, then the video turned up after all: charge it again if possible.
      if (status === 'orphaned' && state.available >= 1) {
        return [
          { type: 'CreditReserved', data: { userId, videoId: command.videoId, amount: 1, reservedAt: now } },
          confirmed,
        ];
      }
      return [];
    }
    case 'CaptureCredit':
      if (!isHeld(state, command.videoId)) return [];
      return [{ type: 'CreditCaptured', data: { userId, videoId: command.videoId, amount: 1, capturedAt: now } }];
    case 'ReleaseCredit':
      if (!isHeld(state, command.videoId)) return [];
      return [
        {
          type: 'CreditReleased',
          data: {
            userId,
            videoId: command.videoId,
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
        reservations: { ...state.reservations, [event.data.videoId]: 'reserved' },
      };
    case 'CreditReservationConfirmed':
      return { ...state, reservations: { ...state.reservations, [event.data.videoId]: 'confirmed' } };
    case 'CreditCaptured':
      return { ...state, reservations: { ...state.reservations, [event.data.videoId]: 'captured' } };
    case 'CreditReleased':
      return {
        ...state,
        available: state.available + 1,
        reservations: {
          ...state.reservations,
          [event.data.videoId]: event.data.cause === 'orphaned' ? 'orphaned' : 'released',
        },
      };
  }
}

export const accountDecider: Decider<AccountCommand, BillingEvent, AccountState> = { decide, evolve, initialState };
