import Stripe from 'stripe';
import { AppError } from '@study-buddy/contracts';
import {
  CheckoutSessionCreated,
  CheckoutSessionRequest,
  CompletedCheckout,
  PaymentProvider,
  VerifiedWebhook,
  WebhookVerifier,
} from '../../domain/payments.port';

export interface StripeSettings {
  secretKey: string;
  /** Tests only: a local fake's `http://127.0.0.1:<port>`. Unset: Stripe's own API. */
  apiBaseUrl?: string;
}

/** The real `stripe` client, pointed at a local fake when `apiBaseUrl` is set. */
export function createStripeClient({ secretKey, apiBaseUrl }: StripeSettings): Stripe {
  const base = apiBaseUrl ? new URL(apiBaseUrl) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      protocol: base.protocol === 'https:' ? 'https' : 'http',
    }),
  });
}

/**
 * A Stripe failure as a 503 the client may retry, naming only Stripe's error type: never the key,
 * the request or Stripe's message (which may echo parameters). Refusals (a bad key, a bad
 * parameter) are a configuration problem an operator must fix, so they say so.
 */
function unavailable(e: unknown): AppError {
  if (!(e instanceof Stripe.errors.StripeError))
    return new AppError('unavailable', 'The payment provider could not be reached; try again shortly');
  const refused = ['StripeAuthenticationError', 'StripePermissionError', 'StripeInvalidRequestError'].includes(e.type);
  return new AppError(
    'unavailable',
    refused
      ? `The payment provider refused the request (${e.type}): payments are misconfigured on this server`
      : `The payment provider could not be reached (${e.type}); try again shortly`,
  );
}

const completed = (s: Stripe.Checkout.Session): CompletedCheckout => ({
  sessionId: s.id,
  userId: s.client_reference_id ?? s.metadata?.user_id ?? null,
  packageId: s.metadata?.package_id ?? null,
  paymentStatus: s.payment_status,
  amount: s.amount_total ?? 0,
  currency: s.currency ?? '',
  paymentIntentId: typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null),
});

export function stripePayments(stripe: Stripe): PaymentProvider {
  return {
    async createCheckoutSession(request: CheckoutSessionRequest): Promise<CheckoutSessionCreated> {
      const metadata = { user_id: request.userId, package_id: request.packageId, credits: String(request.credits) };
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: request.currency,
                  unit_amount: request.amount,
                  product_data: { name: `Study Buddy: ${request.credits} credits (${request.packageId})` },
                },
              },
            ],
            client_reference_id: request.userId,
            metadata,
            // Copied to the PaymentIntent, so a refund or dispute of its charge traces back to the user and package.
            payment_intent_data: { metadata },
            success_url: request.successUrl,
            cancel_url: request.cancelUrl,
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return {
          sessionId: session.id,
          checkoutUrl: session.url ?? '',
          expiresAt: new Date(session.expires_at * 1000).toISOString(),
        };
      } catch (e) {
        throw unavailable(e);
      }
    },

    async *completedSessionsSince(since: number): AsyncIterable<CompletedCheckout> {
      try {
        for await (const s of stripe.checkout.sessions.list({
          created: { gte: since },
          status: 'complete',
          limit: 100,
        }))
          yield completed(s);
      } catch (e) {
        throw unavailable(e);
      }
    },

    async sessionOfPaymentIntent(paymentIntentId: string): Promise<CompletedCheckout | null> {
      try {
        const page = await stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
        const session = page.data.find((s) => s.status === 'complete');
        return session ? completed(session) : null;
      } catch (e) {
        throw unavailable(e);
      }
    },
  };
}

/** Stripe's signature check over the raw bytes (its own HMAC and timestamp tolerance). */
export function stripeWebhookVerifier(webhookSecret: string, toleranceSeconds: number): WebhookVerifier {
  const stripe = new Stripe('sk_unused_for_verification', { telemetry: false });
  return {
    verify(payload: Buffer, signature: string | undefined): VerifiedWebhook {
      if (!signature) throw new AppError('bad_request', 'Missing Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(payload, signature, webhookSecret, toleranceSeconds);
      } catch (e) {
        // Stripe's message says what failed (no signature matched, timestamp outside the tolerance), never the secret.
        const why = e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : 'invalid signature';
        throw new AppError('bad_request', `Webhook signature verification failed: ${why}`);
      }
      const object = (event.data as { object?: unknown } | undefined)?.object;
      if (typeof event.id !== 'string' || typeof event.type !== 'string' || !object || typeof object !== 'object')
        throw new AppError('bad_request', 'Webhook payload is not a Stripe event');
      return { id: event.id, type: event.type, created: event.created, object: object as Record<string, unknown> };
    },
  };
}
