import { assertNever, CheckoutEvent, Decider } from '@study-buddy/contracts';

/**
 * One Stripe Checkout Session (stream `checkout-<sessionId>`): created, paid (or failed / expired),
 * refunded, disputed (and the dispute won or lost). Pure; each Stripe notification becomes a command, and every command is a no-op
 * when the session already reached that point, so Stripe's retries and replays change nothing.
 */

interface Purchase {
  userId: string;
  packageId: string;
  credits: number;
  amount: number;
  currency: string;
}

export type CheckoutCommand =
  | ({ type: 'StartCheckout'; sessionId: string; expiresAt: string; now: string } & Purchase)
  | ({
      type: 'CompleteCheckout';
      sessionId: string;
      paymentStatus: string;
      paymentIntentId: string | null;
      via: 'webhook' | 'reconciliation';
      now: string;
    } & Purchase)
  | { type: 'FailPayment'; sessionId: string; now: string }
  | { type: 'ExpireCheckout'; sessionId: string; now: string }
  | { type: 'RefundCharge'; sessionId: string; chargeId: string; amountRefunded: number; now: string }
  | { type: 'DisputeCharge'; sessionId: string; disputeId: string; now: string }
  | { type: 'CloseDispute'; sessionId: string; disputeId: string; outcome: 'won' | 'lost'; now: string };

export type CheckoutStatus = 'none' | 'open' | 'awaiting_payment' | 'paid' | 'failed' | 'expired';

export interface CheckoutState {
  status: CheckoutStatus;
  purchase: Purchase | null;
  paymentIntentId: string | null;
  amountRefunded: number;
  creditsClawedBack: number;
  disputed: boolean;
  /** The bank's decision, once known: won gives the held credits back. */
  disputeOutcome: 'won' | 'lost' | null;
}

export const checkoutStream = (sessionId: string) => `checkout-${sessionId}`;

export function initialState(): CheckoutState {
  return {
    status: 'none',
    purchase: null,
    paymentIntentId: null,
    amountRefunded: 0,
    creditsClawedBack: 0,
    disputed: false,
    disputeOutcome: null,
  };
}

/** Credits a refund takes back: the refunded share of the package, rounded down (a full refund takes all). */
export function refundedCredits(purchase: Purchase, amountRefunded: number): number {
  if (purchase.amount <= 0) return purchase.credits;
  return Math.min(purchase.credits, Math.floor((purchase.credits * amountRefunded) / purchase.amount));
}

/**
 * How many of the purchase's credits the account should have given back in all (refunds, or a dispute's hold):
 * a running total, which a won dispute lowers again.
 */
export function creditsToClawBack(state: CheckoutState): { total: number; cause: 'refund' | 'dispute' } {
  const held = state.disputed && state.disputeOutcome !== 'won' ? (state.purchase?.credits ?? 0) : 0;
  return held > state.creditsClawedBack
    ? { total: held, cause: 'dispute' }
    : { total: state.creditsClawedBack, cause: 'refund' };
}

export function decide(command: CheckoutCommand, state: CheckoutState): CheckoutEvent[] {
  const { sessionId, now } = command;
  switch (command.type) {
    case 'StartCheckout': {
      if (state.status !== 'none') return [];
      const { userId, packageId, credits, amount, currency, expiresAt } = command;
      return [
        {
          type: 'CheckoutStarted',
          data: { sessionId, userId, packageId, credits, amount, currency, expiresAt, startedAt: now },
        },
      ];
    }
    case 'CompleteCheckout': {
      if (state.status === 'paid') return [];
      // The session as recorded at checkout wins over what the notification carries.
      const purchase = state.purchase ?? {
        userId: command.userId,
        packageId: command.packageId,
        credits: command.credits,
        amount: command.amount,
        currency: command.currency,
      };
      if (command.paymentStatus === 'paid' || command.paymentStatus === 'no_payment_required') {
        return [
          {
            type: 'CheckoutPaid',
            data: {
              sessionId,
              ...purchase,
              paymentIntentId: command.paymentIntentId,
              via: command.via,
              paidAt: now,
            },
          },
        ];
      }
      if (state.status === 'awaiting_payment' || state.status === 'failed') return [];
      return [{ type: 'CheckoutAwaitingPayment', data: { sessionId, userId: purchase.userId, at: now } }];
    }
    case 'FailPayment':
      if (state.status === 'paid' || state.status === 'failed') return [];
      return [{ type: 'CheckoutPaymentFailed', data: { sessionId, at: now } }];
    case 'ExpireCheckout':
      if (state.status === 'paid' || state.status === 'expired') return [];
      return [{ type: 'CheckoutExpired', data: { sessionId, at: now } }];
    case 'RefundCharge': {
      // amount_refunded is the charge's running total: an older or repeated notification is not news.
      if (!state.purchase || command.amountRefunded <= state.amountRefunded) return [];
      return [
        {
          type: 'CheckoutRefunded',
          data: {
            sessionId,
            chargeId: command.chargeId,
            amountRefunded: command.amountRefunded,
            creditsClawedBack: refundedCredits(state.purchase, command.amountRefunded),
            at: now,
          },
        },
      ];
    }
    case 'DisputeCharge':
      if (!state.purchase || state.disputed) return [];
      return [
        {
          type: 'CheckoutDisputed',
          data: { sessionId, disputeId: command.disputeId, creditsHeld: state.purchase.credits, at: now },
        },
      ];
    case 'CloseDispute':
      // A closure may overtake the dispute's own notification: it is recorded all the same, so that
      // notification, arriving later, no longer holds anything.
      if (!state.purchase || state.disputeOutcome) return [];
      return [
        {
          type: 'CheckoutDisputeClosed',
          data: { sessionId, disputeId: command.disputeId, outcome: command.outcome, at: now },
        },
      ];
    default:
      return assertNever(command, 'checkout command');
  }
}

export function evolve(state: CheckoutState, event: CheckoutEvent): CheckoutState {
  switch (event.type) {
    case 'CheckoutStarted': {
      const { userId, packageId, credits, amount, currency } = event.data;
      return { ...state, status: 'open', purchase: { userId, packageId, credits, amount, currency } };
    }
    case 'CheckoutPaid': {
      const { userId, packageId, credits, amount, currency } = event.data;
      return {
        ...state,
        status: 'paid',
        purchase: { userId, packageId, credits, amount, currency },
        paymentIntentId: event.data.paymentIntentId,
      };
    }
    case 'CheckoutAwaitingPayment':
      return { ...state, status: 'awaiting_payment' };
    case 'CheckoutPaymentFailed':
      return { ...state, status: 'failed' };
    case 'CheckoutExpired':
      return { ...state, status: 'expired' };
    case 'CheckoutRefunded':
      return { ...state, amountRefunded: event.data.amountRefunded, creditsClawedBack: event.data.creditsClawedBack };
    case 'CheckoutDisputed':
      return { ...state, disputed: true };
    case 'CheckoutDisputeClosed':
      return { ...state, disputed: true, disputeOutcome: event.data.outcome };
    default:
      return assertNever(event, 'checkout event');
  }
}

export const checkoutDecider: Decider<CheckoutCommand, CheckoutEvent, CheckoutState> = {
  decide,
  evolve,
  initialState,
};
