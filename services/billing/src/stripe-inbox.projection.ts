import { Logger } from '@nestjs/common';
import { StripeInboxEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/**
 * Processes each stored Stripe event, in order, after the webhook has been answered; `stripe_inbox`
 * records what was done. It runs as a projection so the checkpoint moves with the outcome row; the
 * commands it issues are keyed on the session, so a retried batch (or a rebuild) changes no balance.
 * A failure (Stripe or the database unreachable) is retried with the projector's back-off.
 */
export function stripeInboxProjection(
  process: (data: StripeInboxEvent['data']) => Promise<string>,
): PostgresProjection<'stripe_inbox'> {
  const logger = new Logger('StripeInbox');
  return {
    name: 'stripe_inbox',
    version: 1,
    tables: ['stripe_inbox'],
    handles: ['StripeEventReceived'],
    async setup(client, { stripe_inbox: t }) {
      await client.query(`CREATE TABLE ${t} (
        stripe_event_id text PRIMARY KEY,
        type text NOT NULL,
        outcome text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now())`);
    },
    async apply(client, recorded, { stripe_inbox: t }) {
      const event = asEvent<StripeInboxEvent>(recorded);
      const outcome = await process(event.data);
      logger.log(`${event.data.type} ${event.data.stripeEventId}: ${outcome}`);
      await client.query(
        `INSERT INTO ${t} (stripe_event_id, type, outcome) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [event.data.stripeEventId, event.data.type, outcome.slice(0, 200)],
      );
    },
  };
}
