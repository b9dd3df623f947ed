import { Api } from '../openapi/api-doc';
import { stripeWebhookAck } from './public-api.schemas';
import { Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { AppError, RPC, stripeWebhookReply } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { Public, RequestWithRawBody, RPC_CLIENT } from '@study-buddy/nest-kit';

export const STRIPE_WEBHOOK_ROUTE = '/webhooks/stripe';

/**
 * Stripe's webhook endpoint. The gateway holds no Stripe secret: it forwards the exact bytes and
 * the signature header to billing, which verifies them (with the only copy of the webhook secret)
 * and stores the event before answering. So a 200 here means the event is durably stored; a 400
 * means the signature did not hold and nothing was written; anything else makes Stripe retry.
 */
@Controller('webhooks')
export class StripeWebhookController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'webhooks',
    summary: "Stripe's webhook (Stripe only)",
    description:
      'Raw body with a Stripe-Signature header; 200 once the event is stored, 400 when the signature does not hold.',
    replies: { 200: { description: 'Stored', schema: stripeWebhookAck } },
    errors: ['validation_failed', 'payload_too_large', 'unsupported_media_type'],
  })
  @Public()
  @Post('stripe')
  @HttpCode(200)
  async stripe(@Req() request: RequestWithRawBody, @Headers('stripe-signature') signature?: string) {
    const raw = request.rawBody;
    if (!raw || raw.length === 0) throw new AppError('bad_request', 'Empty webhook body');
    const { received } = await this.rpc.request(
      RPC.billing.stripeWebhook,
      { payload: raw.toString('base64'), signature: signature?.slice(0, 2000) },
      { reply: stripeWebhookReply },
    );
    return { received };
  }
}
