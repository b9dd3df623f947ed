import { Api } from '../openapi/api-doc';
import { Body, Controller, Get, Headers, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { balanceReply, checkoutReply, historyReply, packagesReply, parseOrThrow, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { Public, RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { RateLimit } from './rate-limit.guard';
import { checkoutBody, historyQuery, idempotencyKeyHeader, noQuery } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/credits`: balance, history, packages and checkout, answered by billing. */
@Controller('credits')
export class CreditsController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'credits',
    summary: "The caller's credit balance",
    replies: {
      200: {
        description: 'debt appears only while clawed-back credits are owed',
        contract: balanceReply,
        example: { balance: 3, reserved: 0 },
      },
    },
  })
  @Get()
  async balance(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    parseOrThrow(noQuery, query, 'query');
    const { balance, reserved, debt } = await this.rpc.request(
      RPC.billing.balance,
      { userId: user.userId },
      { context: requestContext(request), reply: balanceReply },
    );
    return debt ? { balance, reserved, debt } : { balance, reserved };
  }

  /** Newest first: grants, purchases, reservations, captures, releases, refunds, each with the balance after it. */
  @Api({
    tag: 'credits',
    summary: 'Every change to the balance, newest first',
    query: historyQuery,
    replies: { 200: { description: 'A page; pass next_cursor as cursor for the next one', contract: historyReply } },
  })
  @Get('history')
  async history(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(historyQuery, query, 'query');
    const page = await this.rpc.request(
      RPC.billing.history,
      { userId: user.userId, ...input },
      { context: requestContext(request), reply: historyReply },
    );
    return toSnakeCase({ items: page.items, next_cursor: page.nextCursor });
  }

  /** Public: a pricing page may show the packages before anyone signs in. */
  @Api({
    tag: 'credits',
    summary: 'The credit packages on sale',
    replies: { 200: { description: "amount in the currency's minor units", contract: packagesReply } },
  })
  @Public()
  @Get('packages')
  async packages(@Query() query: unknown) {
    parseOrThrow(noQuery, query, 'query');
    return toSnakeCase(await this.rpc.request(RPC.billing.packages, {}, { reply: packagesReply }));
  }

  /** 201 with Stripe's hosted payment page; the same Idempotency-Key answers with the same session. */
  @Api({
    tag: 'credits',
    summary: 'Start a Stripe Checkout for a package',
    body: checkoutBody,
    bodyExample: { package: 'pack_10' },
    headers: {
      'Idempotency-Key': { schema: idempotencyKeyHeader, description: 'The same key answers with the same session' },
    },
    replies: { 201: { description: "Stripe's hosted payment page", contract: checkoutReply } },
  })
  @Post('checkout')
  @RateLimit('checkout')
  async checkout(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseOrThrow(checkoutBody, body, 'checkout request');
    const idempotencyKey = parseOrThrow(idempotencyKeyHeader, key, 'Idempotency-Key header');
    const session = await this.rpc.request(
      RPC.billing.checkout,
      {
        userId: user.userId,
        packageId: input.package,
        successUrl: input.success_url,
        cancelUrl: input.cancel_url,
        idempotencyKey,
      },
      { context: requestContext(request), reply: checkoutReply, timeoutMs: 20_000 },
    );
    void reply.status(201);
    return toSnakeCase(session);
  }
}
