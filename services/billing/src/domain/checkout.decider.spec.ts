import { CheckoutEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { checkoutDecider, CheckoutCommand, CheckoutState, creditsToClawBack } from './checkout.decider';

const spec = deciderSpec<CheckoutCommand, CheckoutEvent, CheckoutState>(checkoutDecider);
const userId = '11111111-1111-4111-8111-111111111111';
const sessionId = 'cs_test_1';
const now = '2026-12-01T10:00:00.000Z';
const purchase = { userId, packageId: 'basic', credits: 10, amount: 999, currency: 'usd' };

const started: CheckoutEvent = {
  type: 'CheckoutStarted',
  data: { sessionId, ...purchase, expiresAt: now, startedAt: now },
};
const complete = (paymentStatus = 'paid', via: 'webhook' | 'reconciliation' = 'webhook'): CheckoutCommand => ({
  type: 'CompleteCheckout',
  sessionId,
  ...purchase,
  paymentStatus,
  paymentIntentId: 'pi_1',
  via,
  now,
});
const paid: CheckoutEvent = {
  type: 'CheckoutPaid',
  data: { sessionId, ...purchase, paymentIntentId: 'pi_1', via: 'webhook', paidAt: now },
};
const refund = (amountRefunded: number): CheckoutCommand => ({
  type: 'RefundCharge',
  sessionId,
  chargeId: 'ch_1',
  amountRefunded,
  now,
});

describe('checkout decider', () => {
  it('records the pending purchase once', () => {
    spec
      .given([])
      .when({ type: 'StartCheckout', sessionId, ...purchase, expiresAt: now, now })
      .then([started]);
    spec
      .given([started])
      .when({ type: 'StartCheckout', sessionId, ...purchase, expiresAt: now, now })
      .thenNothingHappens();
  });

  it('is paid once, whether the webhook or reconciliation says so first', () => {
    spec.given([started]).when(complete()).then([paid]);
    spec.given([started, paid]).when(complete()).thenNothingHappens();
    spec.given([started, paid]).when(complete('paid', 'reconciliation')).thenNothingHappens();
  });

  it('waits for an asynchronous payment, then is paid or failed', () => {
    const waiting: CheckoutEvent = { type: 'CheckoutAwaitingPayment', data: { sessionId, userId, at: now } };
    spec.given([started]).when(complete('unpaid')).then([waiting]);
    spec.given([started, waiting]).when(complete('unpaid')).thenNothingHappens();
    spec.given([started, waiting]).when(complete()).then([paid]);
    spec
      .given([started, waiting])
      .when({ type: 'FailPayment', sessionId, now })
      .then([{ type: 'CheckoutPaymentFailed', data: { sessionId, at: now } }]);
  });

  it('expires only an unpaid session', () => {
    spec
      .given([started])
      .when({ type: 'ExpireCheckout', sessionId, now })
      .then([{ type: 'CheckoutExpired', data: { sessionId, at: now } }]);
    spec.given([started, paid]).when({ type: 'ExpireCheckout', sessionId, now }).thenNothingHappens();
  });

  it('trusts the recorded purchase over the notification', () =>
    spec
      .given([started])
      .when({ ...complete(), credits: 1000 } as CheckoutCommand)
      .then([paid]));

  it('records a refund by its running total: the refunded share of the credits, once', () => {
    const half: CheckoutEvent = {
      type: 'CheckoutRefunded',
      data: { sessionId, chargeId: 'ch_1', amountRefunded: 500, creditsClawedBack: 5, at: now },
    };
    spec.given([started, paid]).when(refund(500)).then([half]);
    spec.given([started, paid, half]).when(refund(500)).thenNothingHappens();
    spec.given([started, paid, half]).when(refund(300)).thenNothingHappens();
    spec
      .given([started, paid, half])
      .when(refund(999))
      .then([{ ...half, data: { ...half.data, amountRefunded: 999, creditsClawedBack: 10 } } as CheckoutEvent]);
    spec.given([]).when(refund(999)).thenNothingHappens();
  });

  it('holds all the credits of a disputed payment, once', () => {
    const disputed: CheckoutEvent = {
      type: 'CheckoutDisputed',
      data: { sessionId, disputeId: 'dp_1', creditsHeld: 10, at: now },
    };
    spec.given([started, paid]).when({ type: 'DisputeCharge', sessionId, disputeId: 'dp_1', now }).then([disputed]);
    spec
      .given([started, paid, disputed])
      .when({ type: 'DisputeCharge', sessionId, disputeId: 'dp_1', now })
      .thenNothingHappens();
    const state = [started, paid, disputed].reduce(checkoutDecider.evolve, checkoutDecider.initialState());
    expect(creditsToClawBack(state)).toEqual({ total: 10, cause: 'dispute' });
  });

  it('records the bank’s decision once, which lifts the hold when won and keeps it when lost', () => {
    const disputed: CheckoutEvent = {
      type: 'CheckoutDisputed',
      data: { sessionId, disputeId: 'dp_1', creditsHeld: 10, at: now },
    };
    const close = (outcome: 'won' | 'lost') => ({
      type: 'CloseDispute' as const,
      sessionId,
      disputeId: 'dp_1',
      outcome,
      now,
    });
    const closed = (outcome: 'won' | 'lost'): CheckoutEvent => ({
      type: 'CheckoutDisputeClosed',
      data: { sessionId, disputeId: 'dp_1', outcome, at: now },
    });
    spec
      .given([started, paid, disputed])
      .when(close('won'))
      .then([closed('won')]);
    spec
      .given([started, paid, disputed, closed('won')])
      .when(close('lost'))
      .thenNothingHappens();
    spec.given([]).when(close('won')).thenNothingHappens();
    const total = (events: CheckoutEvent[]) =>
      creditsToClawBack(events.reduce(checkoutDecider.evolve, checkoutDecider.initialState()));
    expect(total([started, paid, disputed, closed('won')])).toEqual({ total: 0, cause: 'refund' });
    expect(total([started, paid, disputed, closed('lost')])).toEqual({ total: 10, cause: 'dispute' });
    // the decision overtook the dispute's own notification: that one, arriving later, holds nothing
    spec
      .given([started, paid])
      .when(close('won'))
      .then([closed('won')]);
    spec
      .given([started, paid, closed('won')])
      .when({ type: 'DisputeCharge', sessionId, disputeId: 'dp_1', now })
      .thenNothingHappens();
    expect(total([started, paid, closed('won')])).toEqual({ total: 0, cause: 'refund' });
  });
});
