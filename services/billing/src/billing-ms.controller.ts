import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  balanceRequest,
  openAccountRequest,
  parseOrThrow,
  releaseUnrecordedRequest,
  reserveCreditRequest,
  RPC,
} from '@study-buddy/contracts';
import { contextFromHeaders } from '@study-buddy/messaging';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { LedgerService } from './ledger.service';

/** Request/reply handlers of billing (NATS). */
@Controller()
@UseFilters(RpcErrorFilter)
export class BillingMsController {
  constructor(private readonly ledger: LedgerService) {}

  @MessagePattern(rpcPattern(RPC.billing.openAccount))
  openAccount(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId } = parseOrThrow(openAccountRequest, payload);
    return this.ledger.openAccount(userId, contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.billing.reserve))
  reserve(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId, videoId } = parseOrThrow(reserveCreditRequest, payload);
    return this.ledger.reserve(userId, videoId, contextFromHeaders(ctx.getHeaders()));
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
}
