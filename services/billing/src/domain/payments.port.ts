/** What billing needs from a payment provider (Stripe): the domain's port, implemented in adapters/stripe. */

export interface CheckoutSessionRequest {
  userId: string;
  packageId: string;
  credits: number;
  amount: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /** The same key creates the same session once, whatever the retries. */
  idempotencyKey: string;
}

export interface CheckoutSessionCreated {
  sessionId: string;
  checkoutUrl: string;
  expiresAt: string;
}

/** A completed Checkout Session as the provider reports it (the fields billing reads). */
export interface CompletedCheckout {
  sessionId: string;
  userId: string | null;
  packageId: string | null;
  paymentStatus: string;
  amount: number;
  currency: string;
  paymentIntentId: string | null;
}

/** A webhook whose signature was verified: the provider's event id and type, and its object. */
export interface VerifiedWebhook {
  id: string;
  type: string;
  created: number;
  object: Record<string, unknown>;
}

export interface PaymentProvider {
  createCheckoutSession(request: CheckoutSessionRequest): Promise<CheckoutSessionCreated>;
  /** Completed sessions created at or after `since` (unix seconds), newest first. */
  completedSessionsSince(since: number): AsyncIterable<CompletedCheckout>;
  /** The session that created this PaymentIntent, if it was a completed Checkout Session. */
  sessionOfPaymentIntent(paymentIntentId: string): Promise<CompletedCheckout | null>;
}

/** Verifies a webhook's signature over the raw body; throws an AppError (400) when it does not hold. */
export interface WebhookVerifier {
  verify(payload: Buffer, signature: string | undefined): VerifiedWebhook;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
export const WEBHOOK_VERIFIER = Symbol('WEBHOOK_VERIFIER');
