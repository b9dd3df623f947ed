import { assertNever, CheckoutEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';

/** `checkouts`: one row per Checkout Session, so a refunded or disputed charge finds its session by PaymentIntent. */
export function checkoutsProjection(): PostgresProjection<'checkouts'> {
  return {
    name: 'checkouts',
    version: 1,
    tables: ['checkouts'],
    handles: [
      'CheckoutStarted',
      'CheckoutPaid',
      'CheckoutAwaitingPayment',
      'CheckoutPaymentFailed',
      'CheckoutExpired',
      'CheckoutRefunded',
      'CheckoutDisputed',
      'CheckoutDisputeClosed',
    ],
    async setup(client, { checkouts: t }) {
      await client.query(`CREATE TABLE ${t} (
        session_id text PRIMARY KEY,
        user_id uuid NOT NULL,
        package_id text NOT NULL,
        status text NOT NULL,
        payment_intent_id text UNIQUE,
        updated_at timestamptz NOT NULL)`);
    },
    async apply(client, recorded, { checkouts: t }) {
      const event = asEvent<CheckoutEvent>(recorded);
      const status = (s: string, at: string) =>
        client.query(
          prepared(`UPDATE ${t} SET status = $2, updated_at = $3 WHERE session_id = $1`, [event.data.sessionId, s, at]),
        );
      switch (event.type) {
        case 'CheckoutStarted':
          await client.query(
            prepared(`INSERT INTO ${t} VALUES ($1, $2, $3, 'open', NULL, $4) ON CONFLICT DO NOTHING`, [
              event.data.sessionId,
              event.data.userId,
              event.data.packageId,
              event.data.startedAt,
            ]),
          );
          return;
        case 'CheckoutPaid':
          await client.query(
            prepared(
              `INSERT INTO ${t} VALUES ($1, $2, $3, 'paid', $4, $5)
             ON CONFLICT (session_id) DO UPDATE SET status = 'paid', payment_intent_id = $4, updated_at = $5`,
              [
                event.data.sessionId,
                event.data.userId,
                event.data.packageId,
                event.data.paymentIntentId,
                event.data.paidAt,
              ],
            ),
          );
          return;
        case 'CheckoutAwaitingPayment':
          return void (await status('awaiting_payment', event.data.at));
        case 'CheckoutPaymentFailed':
          return void (await status('failed', event.data.at));
        case 'CheckoutExpired':
          return void (await status('expired', event.data.at));
        case 'CheckoutRefunded':
          return void (await status('refunded', event.data.at));
        case 'CheckoutDisputed':
          return void (await status('disputed', event.data.at));
        case 'CheckoutDisputeClosed':
          return void (await status(event.data.outcome === 'won' ? 'dispute_won' : 'dispute_lost', event.data.at));
        default:
          return assertNever(event, 'checkout event');
      }
    },
  };
}
