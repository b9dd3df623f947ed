import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';

/**
 * Why a held credit went back: `orphaned` = reserved for a video that was never recorded; `cancelled` = the
 * user cancelled the video. Adding a value keeps v2: every stored event still validates, and v1 events (written
 * before cancel existed) upcast to one of the first two. Only `orphaned` is ever charged again.
 */
export const creditReleaseCause = z.enum(['processing_failed', 'orphaned', 'cancelled']);
export type CreditReleaseCause = z.infer<typeof creditReleaseCause>;

/**
 * Which submission of a video a hold is for (absent = 1): a retry reserves again under its own attempt, so
 * each attempt is reserved, captured or released exactly once.
 */
const attempt = z.number().int().positive().optional();
/** Why purchased credits were taken back: the payment was refunded, or disputed (held while the bank decides). */
export const clawbackCause = z.enum(['refund', 'dispute']);
export type ClawbackCause = z.infer<typeof clawbackCause>;

const currency = z.string().regex(/^[a-z]{3}$/);
const stripeId = z.string().min(1).max(255);

/** Stream `account-<userId>`, owned by billing: the credit ledger. */
export const BillingEvents = {
  AccountOpened: defineEvent('AccountOpened', 1, z.object({ userId: uuid, openedAt: isoDate })),
  CreditsGranted: defineEvent(
    'CreditsGranted',
    1,
    z.object({
      userId: uuid,
      amount: z.number().int().positive(),
      reason: z.enum(['signup', 'purchase', 'admin']),
      grantedAt: isoDate,
      /** purchase: the Checkout Session, its package and what was paid (minor units). */
      purchaseId: stripeId.optional(),
      packageId: z.string().max(50).optional(),
      amountPaid: z.number().int().nonnegative().optional(),
      currency: currency.optional(),
      /** admin: the operator's idempotency key and why. */
      grantId: z.string().max(200).optional(),
      note: z.string().max(500).optional(),
      /** Part of the grant that paid off a debt left by an earlier clawback (absent: none). */
      debtPaid: z.number().int().positive().optional(),
    }),
  ),
  /**
   * Purchased credits taken back after a refund or dispute: `fromBalance` left the spendable balance,
   * `toDebt` had already been spent and is owed (it blocks new submissions until a grant pays it).
   */
  CreditsClawedBack: defineEvent(
    'CreditsClawedBack',
    1,
    z.object({
      userId: uuid,
      purchaseId: stripeId,
      cause: clawbackCause,
      amount: z.number().int().positive(),
      fromBalance: z.number().int().nonnegative(),
      toDebt: z.number().int().nonnegative(),
      clawedBackAt: isoDate,
    }),
  ),
  /**
   * Credits a dispute had held, given back because the bank decided for us (won, or an inquiry closed
   * without a chargeback): `debtPaid` cancels the debt the clawback had left, `toBalance` is spendable again.
   */
  CreditsRestored: defineEvent(
    'CreditsRestored',
    1,
    z.object({
      userId: uuid,
      purchaseId: stripeId,
      cause: z.literal('dispute_won'),
      amount: z.number().int().positive(),
      toBalance: z.number().int().nonnegative(),
      debtPaid: z.number().int().nonnegative(),
      restoredAt: isoDate,
    }),
  ),
  CreditReserved: defineEvent(
    'CreditReserved',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, amount: z.literal(1), reservedAt: isoDate }),
  ),
  /** The video a credit was reserved for was accepted: the reservation is no longer at risk of being orphaned. */
  CreditReservationConfirmed: defineEvent(
    'CreditReservationConfirmed',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, confirmedAt: isoDate }),
  ),
  CreditCaptured: defineEvent(
    'CreditCaptured',
    1,
    z.object({ userId: uuid, videoId: uuid, attempt, amount: z.literal(1), capturedAt: isoDate }),
  ),
  /**
   * v2 adds `cause`: only a hold released because its video never arrived may be charged again when the
   * video turns up after all; one released because processing failed never is (whatever order billing's
   * per-type consumers see VideoFailed and VideoSubmitted in).
   */
  CreditReleased: defineEvent(
    'CreditReleased',
    2,
    z.object({
      userId: uuid,
      videoId: uuid,
      attempt,
      amount: z.literal(1),
      cause: creditReleaseCause,
      reason: z.string().max(200),
      releasedAt: isoDate,
    }),
  ),
} as const;
export type BillingEvent = EventsOf<typeof BillingEvents>;

/** Stream `checkout-<sessionId>`, owned by billing: one Stripe Checkout Session, from creation to refunds. */
export const CheckoutEvents = {
  CheckoutStarted: defineEvent(
    'CheckoutStarted',
    1,
    z.object({
      sessionId: stripeId,
      userId: uuid,
      packageId: z.string().max(50),
      credits: z.number().int().positive(),
      amount: z.number().int().nonnegative(),
      currency,
      expiresAt: isoDate,
      startedAt: isoDate,
    }),
  ),
  /** Paid: the credits are granted (by the account stream, keyed on the session). */
  CheckoutPaid: defineEvent(
    'CheckoutPaid',
    1,
    z.object({
      sessionId: stripeId,
      userId: uuid,
      packageId: z.string().max(50),
      credits: z.number().int().positive(),
      amount: z.number().int().nonnegative(),
      currency,
      paymentIntentId: stripeId.nullable(),
      via: z.enum(['webhook', 'reconciliation']),
      paidAt: isoDate,
    }),
  ),
  /** Completed, but the payment method settles later (async_payment_succeeded / _failed follow). */
  CheckoutAwaitingPayment: defineEvent(
    'CheckoutAwaitingPayment',
    1,
    z.object({ sessionId: stripeId, userId: uuid, at: isoDate }),
  ),
  CheckoutPaymentFailed: defineEvent('CheckoutPaymentFailed', 1, z.object({ sessionId: stripeId, at: isoDate })),
  CheckoutExpired: defineEvent('CheckoutExpired', 1, z.object({ sessionId: stripeId, at: isoDate })),
  /** `amountRefunded` is the charge's running total, so a repeated or reordered refund event changes nothing. */
  CheckoutRefunded: defineEvent(
    'CheckoutRefunded',
    1,
    z.object({
      sessionId: stripeId,
      chargeId: stripeId,
      amountRefunded: z.number().int().positive(),
      creditsClawedBack: z.number().int().nonnegative(),
      at: isoDate,
    }),
  ),
  CheckoutDisputed: defineEvent(
    'CheckoutDisputed',
    1,
    z.object({ sessionId: stripeId, disputeId: stripeId, creditsHeld: z.number().int().nonnegative(), at: isoDate }),
  ),
  /** The bank's decision on a dispute: `won` gives the held credits back, `lost` keeps them taken. */
  CheckoutDisputeClosed: defineEvent(
    'CheckoutDisputeClosed',
    1,
    z.object({ sessionId: stripeId, disputeId: stripeId, outcome: z.enum(['won', 'lost']), at: isoDate }),
  ),
} as const;
export type CheckoutEvent = EventsOf<typeof CheckoutEvents>;

/**
 * Stream `stripe-event-<eventId>`, owned by billing: a verified webhook delivery, stored before it is
 * acknowledged. The stream (and the event id) derive from Stripe's event id, so a retry or a replay
 * lands on the one already stored instead of beside it.
 */
export const StripeInboxEvents = {
  StripeEventReceived: defineEvent(
    'StripeEventReceived',
    1,
    z.object({
      stripeEventId: stripeId,
      type: z.string().max(100),
      created: z.number().int(),
      /** `data.object` of the Stripe event, as sent. */
      object: z.record(z.string(), z.unknown()),
      receivedAt: isoDate,
    }),
  ),
} as const;
export type StripeInboxEvent = EventsOf<typeof StripeInboxEvents>;
