import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  CheckoutEvents,
  CheckoutReply,
  CheckoutRequest,
  CreditPackage,
  isUuid,
} from '@study-buddy/contracts';
import { EventStore, handleCommand } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { BILLING_ENV, BillingEnv } from './config';
import {
  CheckoutCommand,
  checkoutDecider,
  CheckoutState,
  checkoutStream,
  creditsToClawBack,
} from './domain/checkout.decider';
import { CompletedCheckout, PAYMENT_PROVIDER, PaymentProvider } from './domain/payments.port';
import { LedgerService } from './ledger.service';

/**
 * Checkout Sessions: creates them with the payment provider, records each one's life on its own
 * stream, and keeps the buyer's account in step with it — every account command is keyed on the
 * session, so whoever reports a payment (webhook, reconciliation, both, many times) grants it once.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('Checkout');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_ENV) private readonly env: BillingEnv,
    @Inject(PAYMENT_PROVIDER) private readonly payments: PaymentProvider | null,
    private readonly ledger: LedgerService,
  ) {}

  packages(): CreditPackage[] {
    return this.env.CREDIT_PACKAGES;
  }

  /** Null when no Stripe key is configured. */
  paymentsProvider(): PaymentProvider | null {
    return this.payments;
  }

  private provider(): PaymentProvider {
    if (!this.payments) throw new AppError('unavailable', 'Credit purchases are not configured on this server');
    return this.payments;
  }

  private redirect(url: string | undefined, fallback: string, field: string): string {
    if (!url) return fallback;
    const origin = new URL(url).origin;
    if (!this.env.CHECKOUT_REDIRECT_ORIGINS.some((allowed) => new URL(allowed).origin === origin))
      throw new AppError('validation_failed', `${field} must be on an allowed origin`, {
        allowed: this.env.CHECKOUT_REDIRECT_ORIGINS.map((o) => new URL(o).origin),
      });
    return url;
  }

  async startCheckout(request: CheckoutRequest, context: MessageContext = {}): Promise<CheckoutReply> {
    const pkg = this.env.CREDIT_PACKAGES.find((p) => p.id === request.packageId);
    if (!pkg)
      throw new AppError('validation_failed', `Unknown package "${request.packageId}"`, {
        packages: this.env.CREDIT_PACKAGES.map((p) => p.id),
      });
    const successUrl = this.redirect(request.successUrl, this.env.CHECKOUT_SUCCESS_URL, 'success_url');
    const cancelUrl = this.redirect(request.cancelUrl, this.env.CHECKOUT_CANCEL_URL, 'cancel_url');
    // Without the client's own key, a retry within the same minute (a double click, a timed-out request) is one session.
    const retryScope =
      request.idempotencyKey ?? `${pkg.id}/${successUrl}/${cancelUrl}/${Math.floor(Date.now() / 60_000)}`;
    const idempotencyKey = createHash('sha256').update(`checkout/${request.userId}/${retryScope}`).digest('hex');
    const session = await this.provider().createCheckoutSession({
      userId: request.userId,
      packageId: pkg.id,
      credits: pkg.credits,
      amount: pkg.amount,
      currency: pkg.currency,
      successUrl,
      cancelUrl,
      idempotencyKey,
    });
    await this.run(
      {
        type: 'StartCheckout',
        sessionId: session.sessionId,
        userId: request.userId,
        packageId: pkg.id,
        credits: pkg.credits,
        amount: pkg.amount,
        currency: pkg.currency,
        expiresAt: session.expiresAt,
        now: now(),
      },
      context,
    );
    return session;
  }

  /**
   * A completed session, from a webhook or from reconciliation. Null when it is not one of ours
   * (no user, an unknown package and no recorded checkout) — ignored rather than retried for ever.
   */
  async complete(
    completed: CompletedCheckout,
    via: 'webhook' | 'reconciliation',
    context: MessageContext = {},
  ): Promise<CheckoutState | null> {
    return (await this.completeWithEvents(completed, via, context))?.state ?? null;
  }

  async completeWithEvents(
    completed: CompletedCheckout,
    via: 'webhook' | 'reconciliation',
    context: MessageContext = {},
  ) {
    const pkg = this.env.CREDIT_PACKAGES.find((p) => p.id === completed.packageId);
    const known = (await this.store.readStream(checkoutStream(completed.sessionId), { maxCount: 1 })).length > 0;
    if (!known && (!completed.userId || !isUuid(completed.userId) || !pkg)) return null;
    return this.runWithEvents(
      {
        type: 'CompleteCheckout',
        sessionId: completed.sessionId,
        userId: completed.userId ?? '',
        packageId: pkg?.id ?? completed.packageId ?? '',
        credits: pkg?.credits ?? 0,
        amount: completed.amount,
        currency: completed.currency,
        paymentStatus: completed.paymentStatus,
        paymentIntentId: completed.paymentIntentId,
        via,
        now: now(),
      },
      context,
    );
  }

  /** Runs a command on the session's stream, then brings the buyer's account in line with the session. */
  async run(command: CheckoutCommand, context: MessageContext = {}): Promise<CheckoutState> {
    return (await this.runWithEvents(command, context)).state;
  }

  async runWithEvents(command: CheckoutCommand, context: MessageContext = {}) {
    const { state, newEvents } = await handleCommand(
      this.store,
      checkoutStream(command.sessionId),
      checkoutDecider,
      command,
      {
        metadata: { ...context, ...(state0(command) ? { userId: state0(command) } : {}) },
        schemas: CheckoutEvents,
      },
    );
    await this.syncAccount(command.sessionId, state, context);
    return { state, newEvents };
  }

  private async syncAccount(sessionId: string, state: CheckoutState, context: MessageContext): Promise<void> {
    if (state.status !== 'paid' || !state.purchase) return;
    const { userId, packageId, credits, amount, currency } = state.purchase;
    await this.ledger.execute(
      {
        type: 'GrantPurchase',
        userId,
        purchaseId: sessionId,
        packageId,
        credits,
        amountPaid: amount,
        currency,
        now: now(),
      },
      context,
      `purchase/${sessionId}`,
    );
    const { total, cause } = creditsToClawBack(state);
    // After a dispute the total may fall again (won): the same command then restores the difference.
    if (total > 0 || state.disputed) {
      await this.ledger.execute(
        { type: 'ClawBackPurchase', userId, purchaseId: sessionId, cause, total, now: now() },
        context,
        `clawback/${sessionId}/${cause}/${total}`,
      );
      this.logger.log(
        state.disputeOutcome === 'won'
          ? `session ${sessionId}: dispute won, ${total} credit(s) stay taken back (refunds)`
          : `session ${sessionId}: ${total} credit(s) taken back (${cause})`,
      );
    }
  }
}

const state0 = (command: CheckoutCommand) => ('userId' in command && command.userId ? command.userId : undefined);
const now = () => new Date().toISOString();
