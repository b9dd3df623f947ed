import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec, StoredEvent } from '@study-buddy/service-testing';
import { accountStream } from '../domain/account.decider';
import { AccountsQueries } from './accounts.queries';
import { accountsProjection } from './accounts.projection';
import { checkoutsProjection } from './checkouts.projection';
import { CheckoutsQueries } from './checkouts.queries';
import { reservationsProjection } from './reservations.projection';
import { stripeInboxProjection } from '../stripe-inbox.projection';
import { ReservationsQueries } from './reservations.queries';

/** Billing's read models on the real PostgreSQL: every ledger event in, balances, history and holds out. */
describe('billing projections', () => {
  const userId = randomUUID();
  const [captured, released, held] = [randomUUID(), randomUUID(), randomUUID()];
  const stream = accountStream(userId);
  const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const reserve = (videoId: string, minute: number): StoredEvent => ({
    stream,
    type: 'CreditReserved',
    data: { userId, videoId, amount: 1, reservedAt: at(minute) },
  });
  const ledger: StoredEvent[] = [
    { stream, type: 'AccountOpened', data: { userId, openedAt: at(0) } },
    { stream, type: 'CreditsGranted', data: { userId, amount: 3, reason: 'signup', grantedAt: at(0) } },
    reserve(captured, 1),
    { stream, type: 'CreditReservationConfirmed', data: { userId, videoId: captured, confirmedAt: at(2) } },
    { stream, type: 'CreditCaptured', data: { userId, videoId: captured, amount: 1, capturedAt: at(3) } },
    reserve(released, 4),
    {
      stream,
      type: 'CreditReleased',
      data: {
        userId,
        videoId: released,
        amount: 1,
        cause: 'processing_failed',
        reason: 'processing failed: x',
        releasedAt: at(5),
      },
    },
    reserve(held, 6),
    {
      stream,
      type: 'CreditsGranted',
      data: {
        userId,
        amount: 10,
        reason: 'purchase',
        grantedAt: at(7),
        purchaseId: 'cs_1',
        packageId: 'basic',
        amountPaid: 999,
        currency: 'usd',
      },
    },
    {
      stream,
      type: 'CreditsClawedBack',
      data: {
        userId,
        purchaseId: 'cs_1',
        cause: 'refund',
        amount: 10,
        fromBalance: 8,
        toDebt: 2,
        clawedBackAt: at(8),
      },
    },
    {
      stream,
      type: 'CreditsGranted',
      data: { userId, amount: 5, reason: 'admin', grantedAt: at(9), grantId: 't-1', note: 'outage', debtPaid: 2 },
    },
    {
      stream,
      type: 'CreditsClawedBack',
      data: {
        userId,
        purchaseId: 'cs_2',
        cause: 'dispute',
        amount: 10,
        fromBalance: 6,
        toDebt: 4,
        clawedBackAt: at(10),
      },
    },
    {
      stream,
      type: 'CreditsRestored',
      data: {
        userId,
        purchaseId: 'cs_2',
        cause: 'dispute_won',
        amount: 10,
        toBalance: 6,
        debtPaid: 4,
        restoredAt: at(11),
      },
    },
  ];

  describe('accounts and ledger', () => {
    let read: ProjectionSpec;
    beforeAll(async () => {
      read = await projectionSpec(accountsProjection);
      await read.given(ledger);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it('keeps the balance and the credits on hold', async () => {
      await expect(new AccountsQueries(read.pool, read.schema).balance(userId)).resolves.toEqual({
        balance: 6,
        reserved: 1,
        debt: 0,
      });
    });

    it('keeps one history row per credit movement', async () => {
      const rows = await read.rows<{ kind: string; amount: number; video_id: string | null }>(
        'SELECT kind, amount, balance_after, debt_after, video_id FROM $schema.ledger WHERE user_id = $1 ORDER BY position',
        [userId],
      );
      expect(rows).toEqual([
        { kind: 'grant', amount: 3, balance_after: 3, debt_after: 0, video_id: null },
        { kind: 'reserve', amount: -1, balance_after: 2, debt_after: 0, video_id: captured },
        { kind: 'capture', amount: 0, balance_after: 2, debt_after: 0, video_id: captured },
        { kind: 'reserve', amount: -1, balance_after: 1, debt_after: 0, video_id: released },
        { kind: 'release', amount: 1, balance_after: 2, debt_after: 0, video_id: released },
        { kind: 'reserve', amount: -1, balance_after: 1, debt_after: 0, video_id: held },
        { kind: 'purchase', amount: 10, balance_after: 11, debt_after: 0, video_id: null },
        { kind: 'refund', amount: -10, balance_after: 3, debt_after: 2, video_id: null },
        { kind: 'grant', amount: 5, balance_after: 6, debt_after: 0, video_id: null },
        { kind: 'dispute', amount: -10, balance_after: 0, debt_after: 4, video_id: null },
        { kind: 'dispute_won', amount: 10, balance_after: 6, debt_after: 0, video_id: null },
      ]);
    });
  });

  describe('checkouts', () => {
    let read: ProjectionSpec;
    const checkout = (sessionId: string) => `checkout-${sessionId}`;
    const purchase = { userId, packageId: 'basic', credits: 10, amount: 999, currency: 'usd' };
    beforeAll(async () => {
      read = await projectionSpec(checkoutsProjection);
      const started = (sessionId: string): StoredEvent => ({
        stream: checkout(sessionId),
        type: 'CheckoutStarted',
        data: { sessionId, ...purchase, expiresAt: at(0), startedAt: at(0) },
      });
      await read.given([
        started('cs_paid'),
        {
          stream: checkout('cs_paid'),
          type: 'CheckoutPaid',
          data: { sessionId: 'cs_paid', ...purchase, paymentIntentId: 'pi_1', via: 'webhook', paidAt: at(1) },
        },
        {
          stream: checkout('cs_paid'),
          type: 'CheckoutRefunded',
          data: { sessionId: 'cs_paid', chargeId: 'ch_1', amountRefunded: 999, creditsClawedBack: 10, at: at(2) },
        },
        {
          stream: checkout('cs_paid'),
          type: 'CheckoutDisputed',
          data: { sessionId: 'cs_paid', disputeId: 'dp_1', creditsHeld: 10, at: at(3) },
        },
        started('cs_async'),
        {
          stream: checkout('cs_async'),
          type: 'CheckoutAwaitingPayment',
          data: { sessionId: 'cs_async', userId, at: at(1) },
        },
        { stream: checkout('cs_async'), type: 'CheckoutPaymentFailed', data: { sessionId: 'cs_async', at: at(2) } },
        started('cs_expired'),
        { stream: checkout('cs_expired'), type: 'CheckoutExpired', data: { sessionId: 'cs_expired', at: at(1) } },
      ]);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it("tracks each session, and finds a payment's session", async () => {
      const rows = await read.rows(
        'SELECT session_id, status, payment_intent_id FROM $schema.checkouts ORDER BY session_id',
      );
      expect(rows).toEqual([
        { session_id: 'cs_async', status: 'failed', payment_intent_id: null },
        { session_id: 'cs_expired', status: 'expired', payment_intent_id: null },
        { session_id: 'cs_paid', status: 'disputed', payment_intent_id: 'pi_1' },
      ]);
      const queries = new CheckoutsQueries(read.pool, read.schema);
      await expect(queries.sessionOfPaymentIntent('pi_1')).resolves.toBe('cs_paid');
      await expect(queries.sessionOfPaymentIntent('pi_other')).resolves.toBeNull();
    });
  });

  describe('stripe inbox', () => {
    let read: ProjectionSpec;
    const seen: string[] = [];
    beforeAll(async () => {
      read = await projectionSpec(() =>
        stripeInboxProjection(async (data) => (seen.push(data.stripeEventId), `handled ${data.type}`)),
      );
      const received = (id: string): StoredEvent => ({
        stream: `stripe-event-${id}`,
        type: 'StripeEventReceived',
        data: {
          stripeEventId: id,
          type: 'checkout.session.completed',
          created: 1,
          object: { id: 'cs_1' },
          receivedAt: at(0),
        },
      });
      await read.given([received('evt_1'), received('evt_2')]);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it('processes each stored Stripe event once, in order, recording the outcome', async () => {
      expect(seen).toEqual(['evt_1', 'evt_2']);
      await expect(
        read.rows('SELECT stripe_event_id, outcome FROM $schema.stripe_inbox ORDER BY stripe_event_id'),
      ).resolves.toEqual([
        { stripe_event_id: 'evt_1', outcome: 'handled checkout.session.completed' },
        { stripe_event_id: 'evt_2', outcome: 'handled checkout.session.completed' },
      ]);
    });
  });

  describe('reservations', () => {
    let read: ProjectionSpec;
    beforeAll(async () => {
      read = await projectionSpec(reservationsProjection);
      await read.given(ledger);
      await read.catchUp();
    });
    afterAll(() => read.close());

    it('tracks each hold to its end', async () => {
      const rows = await read.rows<{ video_id: string; status: string }>(
        'SELECT video_id, status FROM $schema.reservations ORDER BY reserved_at',
      );
      expect(rows).toEqual([
        { video_id: captured, status: 'captured' },
        { video_id: released, status: 'released' },
        { video_id: held, status: 'reserved' },
      ]);
    });

    it('lists only unconfirmed holds older than the TTL as candidates for release', async () => {
      const old = await new ReservationsQueries(read.pool, read.schema).unconfirmedOlderThan(60_000);
      expect(old).toEqual([{ videoId: held, userId, attempt: 1 }]);
      const young = await new ReservationsQueries(read.pool, read.schema).unconfirmedOlderThan(10 * 365 * 86_400_000);
      expect(young).toEqual([]);
    });
  });
});
