import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  balanceRequest,
  checkoutRequest,
  grantCreditsRequest,
  historyRequest,
  openAccountRequest,
  packagesRequest,
  parseOrThrow,
  reconcileRequest,
  releaseUnrecordedRequest,
  reserveCreditRequest,
  RPC,
  stripeWebhookRequest,
} from '@study-buddy/contracts';
import { contextFromHeaders } from '@study-buddy/messaging';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { CheckoutService } from './checkout.service';
import { LedgerService } from './ledger.service';
import { Reconciliation } from './reconciliation';
import { StripeWebhookService } from './stripe-webhook.service';

/** Request/reply handlers of billing (NATS). */
@Controller()
@UseFilters(RpcErrorFilter)
export class BillingMsController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly checkouts: CheckoutService,
    private readonly webhooks: StripeWebhookService,
    private readonly reconciliation: Reconciliation,
  ) {}

  @MessagePattern(rpcPattern(RPC.billing.openAccount))
  openAccount(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId } = parseOrThrow(openAccountRequest, payload);
    return this.ledger.openAccount(userId, contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.billing.reserve))
  reserve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId, videoId, attempt } = parseOrThrow(reserveCreditRequest, payload);
    return this.ledger.reserve(userId, videoId, contextFromHeaders(ctx.getHeaders()), attempt);
  }

  @MessagePattern(rpcPattern(RPC.billing.releaseUnrecorded))
  releaseUnrecorded(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId, videoId } = parseOrThrow(releaseUnrecordedRequest, payload);
    return this.ledger.releaseUnrecorded(userId, videoId, contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.billing.balance))
  balance(@Payload() payload: unknown) {
    const { userId } = parseOrThrow(balanceRequest, payload);
    return this.ledger.balance(userId);
  }

  @MessagePattern(rpcPattern(RPC.billing.history))
  history(@Payload() payload: unknown) {
    const { userId, cursor, limit } = parseOrThrow(historyRequest, payload);
    return this.ledger.history(userId, cursor, limit);
  }

  @MessagePattern(rpcPattern(RPC.billing.packages))
  packages(@Payload() payload: unknown) {
    parseOrThrow(packagesRequest, payload ?? {});
    return { items: this.checkouts.packages() };
  }

  @MessagePattern(rpcPattern(RPC.billing.checkout))
  checkout(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return this.checkouts.startCheckout(parseOrThrow(checkoutRequest, payload), contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.billing.stripeWebhook))
  stripeWebhook(@Payload() payload: unknown) {
    const { payload: body, signature } = parseOrThrow(stripeWebhookRequest, payload, 'webhook');
    return this.webhooks.receive(body, signature);
  }

  @MessagePattern(rpcPattern(RPC.billing.grant))
  grant(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId, amount, grantId, note } = parseOrThrow(grantCreditsRequest, payload);
    return this.ledger.grant(userId, amount, grantId, note, contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.billing.reconcile))
  reconcile(@Payload() payload: unknown) {
    const { lookbackHours } = parseOrThrow(reconcileRequest, payload ?? {});
    return this.reconciliation.run(lookbackHours);
  }
}
