import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, StripeInboxEvents } from '@study-buddy/contracts';
import { deterministicId, EventStore, WrongExpectedRevisionError } from '@study-buddy/event-store';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { CheckoutService } from './checkout.service';
import { VerifiedWebhook, WEBHOOK_VERIFIER, WebhookVerifier } from './domain/payments.port';
import { CheckoutsQueries } from './read-model/checkouts.queries';

/** The Stripe event types billing acts on; any other is acknowledged and ignored. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;
const handled = new Set<string>(HANDLED_STRIPE_EVENTS);

export const stripeEventStream = (stripeEventId: string) => `stripe-event-${stripeEventId}`;

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : 0);

/**
 * Webhook intake: verify, then store — once. The stream and event id derive from Stripe's event id,
 * so concurrent deliveries, retries and replays all land on the one stored event (the store's
 * expected revision and unique event id decide, not a read). Processing follows asynchronously.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(WEBHOOK_VERIFIER) private readonly verifier: WebhookVerifier | null,
    private readonly checkouts: CheckoutService,
    private readonly checkoutsQueries: CheckoutsQueries,
  ) {}

  async receive(payload: string, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    // Stripe retries a 503, so a delivery that arrives before the secret is configured is not lost.
    if (!this.verifier) throw new AppError('unavailable', 'Stripe webhooks are not configured on this server');
    const event = this.verifier.verify(Buffer.from(payload, 'base64'), signature);
    if (!handled.has(event.type)) return { received: true, duplicate: false };
    return { received: true, duplicate: !(await this.store_(event)) };
  }

  /** True when this call stored it; false when it was already there. */
  private async store_(event: VerifiedWebhook): Promise<boolean> {
    const stream = stripeEventStream(event.id);
    const definition = StripeInboxEvents.StripeEventReceived;
    const data = definition.schema.parse({
      stripeEventId: event.id,
      type: event.type,
      created: event.created,
      object: event.object,
      receivedAt: new Date().toISOString(),
    });
    // Only to tell the caller whether this delivery was the one stored; the append alone decides that.
    const deliveryId = randomUUID();
    try {
      await this.store.appendToStream(
        stream,
        [
          {
            id: deterministicId(`stripe-event/${event.id}`),
            type: definition.type,
            data,
            metadata: { schemaVersion: definition.version, deliveryId },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (e) {
      if (WrongExpectedRevisionError.is(e)) return false; // a concurrent delivery stored it first
      throw e;
    }
    const [stored] = await this.store.readStream(stream, { maxCount: 1 });
    return stored?.metadata.deliveryId === deliveryId;
  }

  /** Applies one stored Stripe event; returns what was done, for the inbox table and the logs. */
  async process(data: { stripeEventId: string; type: string; object: Record<string, unknown> }): Promise<string> {
    const o = data.object;
    const sessionId = str(o.id);
    switch (data.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        if (!sessionId) return 'ignored: no session id';
        const metadata = (o.metadata ?? {}) as Record<string, unknown>;
        const state = await this.checkouts.complete(
          {
            sessionId,
            userId: str(o.client_reference_id) ?? str(metadata.user_id),
            packageId: str(metadata.package_id),
            paymentStatus: data.type === 'checkout.session.async_payment_succeeded' ? 'paid' : String(o.payment_status),
            amount: int(o.amount_total),
            currency: str(o.currency) ?? '',
            paymentIntentId: str(o.payment_intent),
          },
          'webhook',
        );
        return state ? `session ${state.status}` : 'ignored: not a Study Buddy checkout';
      }
      case 'checkout.session.async_payment_failed':
        if (!sessionId) return 'ignored: no session id';
        return `session ${(await this.checkouts.run({ type: 'FailPayment', sessionId, now: now() })).status}`;
      case 'checkout.session.expired':
        if (!sessionId) return 'ignored: no session id';
        return `session ${(await this.checkouts.run({ type: 'ExpireCheckout', sessionId, now: now() })).status}`;
      case 'charge.refunded': {
        const session = await this.sessionOfPayment(str(o.payment_intent));
        if (!session || !str(o.id)) return 'ignored: not a Study Buddy payment';
        await this.checkouts.run({
          type: 'RefundCharge',
          sessionId: session,
          chargeId: str(o.id)!,
          amountRefunded: int(o.amount_refunded),
          now: now(),
        });
        return `refund recorded on ${session}`;
      }
      case 'charge.dispute.created': {
        const session = await this.sessionOfPayment(str(o.payment_intent));
        if (!session || !str(o.id)) return 'ignored: not a Study Buddy payment';
        await this.checkouts.run({ type: 'DisputeCharge', sessionId: session, disputeId: str(o.id)!, now: now() });
        return `dispute recorded on ${session}`;
      }
      case 'charge.dispute.closed': {
        const session = await this.sessionOfPayment(str(o.payment_intent));
        if (!session || !str(o.id)) return 'ignored: not a Study Buddy payment';
        const outcome = disputeOutcome(o.status);
        if (!outcome) return `ignored: dispute status ${String(o.status)} is not a decision`;
        await this.checkouts.run({
          type: 'CloseDispute',
          sessionId: session,
          disputeId: str(o.id)!,
          outcome,
          now: now(),
        });
        return `dispute ${outcome} on ${session}`;
      }
      default:
        return 'ignored: type not handled';
    }
  }

  /**
   * The session behind a charge. The read model knows every payment it has seen; one it has not
   * seen (its completion webhook was missed, or is not projected yet) is asked of Stripe and
   * completed first, through the same idempotent path as reconciliation.
   */
  private async sessionOfPayment(paymentIntentId: string | null): Promise<string | null> {
    if (!paymentIntentId) return null;
    const known = await this.checkoutsQueries.sessionOfPaymentIntent(paymentIntentId);
    if (known) return known;
    const completed = await this.checkouts.paymentsProvider()?.sessionOfPaymentIntent(paymentIntentId);
    if (!completed) return null;
    const state = await this.checkouts.complete(completed, 'reconciliation');
    if (state) this.logger.log(`session ${completed.sessionId} completed from its charge`);
    return state ? completed.sessionId : null;
  }
}

const now = () => new Date().toISOString();

/**
 * A closed dispute's status: `won`, or an inquiry closed without a chargeback (`warning_closed`), means the
 * money stayed with us; `lost` that it went back to the cardholder. Anything else is not a decision.
 */
function disputeOutcome(status: unknown): 'won' | 'lost' | null {
  if (status === 'won' || status === 'warning_closed') return 'won';
  if (status === 'lost') return 'lost';
  return null;
}
