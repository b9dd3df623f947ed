import {
  AppError,
  assertNever,
  BillingEvent,
  ClawbackCause,
  CreditReleaseCause,
  Decider,
} from '@study-buddy/contracts';

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
    }
  | {
      type: 'GrantPurchase';
      userId: string;
      purchaseId: string;
      packageId: string;
      credits: number;
      amountPaid: number;
      currency: string;
      now: string;
    }
  | {
      /**
       * `total`: how many of the purchase's credits should be clawed back in all (a running total, not a delta);
       * lower than before (a dispute won), the difference is restored.
       */
      type: 'ClawBackPurchase';
      userId: string;
      purchaseId: string;
      cause: ClawbackCause;
      total: number;
      now: string;
    }
  | { type: 'GrantCredits'; userId: string; amount: number; grantId: string; note: string; now: string };

/**
 * `reserved` when held, then `captured` on completion or `released` on failure or cancellation. A hold
 * still open after the sweeper's TTL is checked with videos: `confirmed` if its video exists (checked once),
 * `orphaned` when released because the video never arrived (the only release a late video undoes: its
 * completion charges it after all).
 */
export type ReservationStatus = 'reserved' | 'confirmed' | 'captured' | 'released' | 'orphaned';

export interface AccountState {
  open: boolean;
  /** Credits the user can spend now (reserved credits are not included). Never negative. */
  available: number;
  /** Clawed-back credits that had already been spent: new reservations wait until a grant pays it. */
  debt: number;
  /** Credits held for videos in progress, by reservation key (see `reservationKey`). */
  holds: Record<string, 'reserved' | 'confirmed'>;
  /** The most recent settled reservations by key, oldest first (so a late retry stays a no-op): SETTLED_KEPT at most. */
  settled: [key: string, status: 'captured' | 'released' | 'orphaned'][];
  /** Purchases granted (by Checkout Session id) and how many of their credits were clawed back. */
  purchases: Record<string, { credits: number; clawedBack: number }>;
  /** Operator grants already made (by their key), most recent SETTLED_KEPT. */
  grants: string[];
}

/**
 * How many settled reservations and operator grants the state remembers. Keeps the state (and its
 * snapshot) the same size after years of use; a retry arrives seconds after the original, not
 * a thousand videos later, and the stores' deterministic event ids still refuse a duplicate.
 */
export const SETTLED_KEPT = 200;

export const accountStream = (userId: string) => `account-${userId}`;

/** A reservation's key: the video id for its first attempt, `<videoId>#<n>` for attempt n > 1. */
export const reservationKey = (videoId: string, attempt = 1) => (attempt > 1 ? `${videoId}#${attempt}` : videoId);

/** The attempt as events record it: absent for the first, so first attempts keep the shape they always had. */
const attemptField = (attempt = 1) => (attempt > 1 ? { attempt } : {});

const keyOf = (data: { videoId: string; attempt?: number }) => reservationKey(data.videoId, data.attempt);

export function initialState(): AccountState {
  return { open: false, available: 0, debt: 0, holds: {}, settled: [], purchases: {}, grants: [] };
}

export function reservationStatus(state: AccountState, key: string): ReservationStatus | undefined {
  return state.holds[key] ?? state.settled.find(([id]) => id === key)?.[1];
}

const isHeld = (state: AccountState, key: string) => key in state.holds;

export function reservedCount(state: AccountState): number {
  return Object.keys(state.holds).length;
}

function refuseReservation(state: AccountState): void {
  if (!state.open)
    throw new AppError('insufficient_credits', 'You have no credits yet: your account is still being set up', {
      balance: 0,
    });
  if (state.debt > 0)
    throw new AppError(
      'insufficient_credits',
      `Your account owes ${state.debt} credit(s): a payment was refunded or disputed after its credits were spent. ` +
        'Buy a credit package to settle it before processing more videos',
      { balance: state.available, debt: state.debt, required: 1 },
    );
  if (state.available < 1)
    throw new AppError(
      'insufficient_credits',
      'You have no credits left: buy a credit package to process more videos',
      {
        balance: state.available,
        required: 1,
      },
    );
}

/** A grant first pays off any debt; only the rest becomes spendable. */
const debtPaidBy = (state: AccountState, amount: number) => Math.min(state.debt, amount);

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
      const current = reservationStatus(state, reservationKey(command.videoId, command.attempt));
      // Idempotent on the video's attempt: a repeated submission (or retry) must not charge twice.
      if (current === 'reserved' || current === 'confirmed' || current === 'captured') return [];
      refuseReservation(state);
      return [
        {
          type: 'CreditReserved',
          data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, reservedAt: now },
        },
      ];
    }
    case 'ConfirmReservation': {
      // Only the sweeper confirms: a hold older than its TTL whose video videos does know.
      if (reservationStatus(state, reservationKey(command.videoId, command.attempt)) !== 'reserved') return [];
      return [
        {
          type: 'CreditReservationConfirmed',
          data: { userId, videoId: command.videoId, ...attemptField(command.attempt), confirmedAt: now },
        },
      ];
    }
    case 'CaptureCredit': {
      const key = reservationKey(command.videoId, command.attempt);
      const captured: BillingEvent = {
        type: 'CreditCaptured',
        data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, capturedAt: now },
      };
      if (isHeld(state, key)) return [captured];
      // The sweeper released the hold as orphaned (videos had no such video), yet the video was recorded after
      // all and processed: charge it now if the credits are there, as a hold then would have.
      if (reservationStatus(state, key) === 'orphaned' && state.available >= 1 && state.debt === 0)
        return [
          {
            type: 'CreditReserved',
            data: { userId, videoId: command.videoId, ...attemptField(command.attempt), amount: 1, reservedAt: now },
          },
          captured,
        ];
      return [];
    }
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
    case 'GrantPurchase': {
      // Idempotent on the Checkout Session: a redelivered or reconciled payment grants once.
      if (state.purchases[command.purchaseId]) return [];
      const debtPaid = debtPaidBy(state, command.credits);
      return [
        {
          type: 'CreditsGranted',
          data: {
            userId,
            amount: command.credits,
            reason: 'purchase',
            grantedAt: now,
            purchaseId: command.purchaseId,
            packageId: command.packageId,
            amountPaid: command.amountPaid,
            currency: command.currency,
            ...(debtPaid > 0 ? { debtPaid } : {}),
          },
        },
      ];
    }
    case 'ClawBackPurchase': {
      const purchase = state.purchases[command.purchaseId];
      if (!purchase) return []; // not granted (yet): the grant itself takes the clawback into account
      const amount = Math.min(command.total, purchase.credits) - purchase.clawedBack;
      if (amount < 0) {
        // The total went down (a dispute won): give back what is no longer owed, the debt it left first.
        const restored = -amount;
        const debtPaid = Math.min(state.debt, restored);
        return [
          {
            type: 'CreditsRestored',
            data: {
              userId,
              purchaseId: command.purchaseId,
              cause: 'dispute_won',
              amount: restored,
              toBalance: restored - debtPaid,
              debtPaid,
              restoredAt: now,
            },
          },
        ];
      }
      if (amount === 0) return [];
      // Spendable credits go first; what was already spent becomes a debt. Held credits are left alone.
      const fromBalance = Math.min(state.available, amount);
      return [
        {
          type: 'CreditsClawedBack',
          data: {
            userId,
            purchaseId: command.purchaseId,
            cause: command.cause,
            amount,
            fromBalance,
            toDebt: amount - fromBalance,
            clawedBackAt: now,
          },
        },
      ];
    }
    case 'GrantCredits': {
      if (state.grants.includes(command.grantId)) return [];
      if (!state.open) throw new AppError('not_found', 'This user has no credit account');
      const debtPaid = debtPaidBy(state, command.amount);
      return [
        {
          type: 'CreditsGranted',
          data: {
            userId,
            amount: command.amount,
            reason: 'admin',
            grantedAt: now,
            grantId: command.grantId,
            note: command.note,
            ...(debtPaid > 0 ? { debtPaid } : {}),
          },
        },
      ];
    }
    default:
      return assertNever(command, 'account command');
  }
}

/** Ends a hold: the reservation joins the settled ones, of which only the last SETTLED_KEPT are kept. */
function settle(state: AccountState, key: string, status: 'captured' | 'released' | 'orphaned'): AccountState {
  const { [key]: _ended, ...holds } = state.holds;
  const settled = state.settled.filter(([id]) => id !== key);
  settled.push([key, status]);
  return { ...state, holds, settled: settled.length > SETTLED_KEPT ? settled.slice(-SETTLED_KEPT) : settled };
}

const recent = (keys: string[], key: string) => [...keys, key].slice(-SETTLED_KEPT);

export function evolve(state: AccountState, event: BillingEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened':
      return { ...state, open: true };
    case 'CreditsGranted': {
      const { amount, debtPaid = 0, purchaseId, grantId } = event.data;
      const next = { ...state, available: state.available + amount - debtPaid, debt: state.debt - debtPaid };
      if (purchaseId) next.purchases = { ...state.purchases, [purchaseId]: { credits: amount, clawedBack: 0 } };
      if (grantId) next.grants = recent(state.grants, grantId);
      return next;
    }
    case 'CreditsClawedBack': {
      const purchase = state.purchases[event.data.purchaseId] ?? { credits: event.data.amount, clawedBack: 0 };
      return {
        ...state,
        available: state.available - event.data.fromBalance,
        debt: state.debt + event.data.toDebt,
        purchases: {
          ...state.purchases,
          [event.data.purchaseId]: { ...purchase, clawedBack: purchase.clawedBack + event.data.amount },
        },
      };
    }
    case 'CreditsRestored': {
      const purchase = state.purchases[event.data.purchaseId] ?? { credits: event.data.amount, clawedBack: 0 };
      return {
        ...state,
        available: state.available + event.data.toBalance,
        debt: state.debt - event.data.debtPaid,
        purchases: {
          ...state.purchases,
          [event.data.purchaseId]: { ...purchase, clawedBack: Math.max(0, purchase.clawedBack - event.data.amount) },
        },
      };
    }
    case 'CreditReserved': {
      const key = keyOf(event.data);
      // A video released as orphaned and charged again leaves the settled list.
      const orphaned = state.settled.some(([id]) => id === key);
      return {
        ...state,
        available: state.available - 1,
        holds: { ...state.holds, [key]: 'reserved' },
        settled: orphaned ? state.settled.filter(([id]) => id !== key) : state.settled,
      };
    }
    case 'CreditReservationConfirmed':
      return { ...state, holds: { ...state.holds, [keyOf(event.data)]: 'confirmed' } };
    case 'CreditCaptured':
      return settle(state, keyOf(event.data), 'captured');
    case 'CreditReleased':
      return settle(
        { ...state, available: state.available + 1 },
        keyOf(event.data),
        // a cancelled or failed attempt's credit is never charged again: only an orphaned hold is
        event.data.cause === 'orphaned' ? 'orphaned' : 'released',
      );
    default:
      return assertNever(event, 'billing event');
  }
}

export const accountDecider: Decider<AccountCommand, BillingEvent, AccountState> = { decide, evolve, initialState };
