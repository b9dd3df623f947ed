import { randomUUID } from 'node:crypto';
import { createLocalLeaderLock, createPostgresLeaderLock } from '@study-buddy/event-store';
import { projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { FakeStripe, refundedCharge, signStripePayload, startFakeStripe, stripeEvent } from '@study-buddy/testing';
import { createStripeClient, stripePayments, stripeWebhookVerifier } from './adapters/stripe/stripe-payments';
import { CheckoutService } from './checkout.service';
import { billingEnvSchema } from './config';
import { accountStream } from './domain/account.decider';
import { billingSchemas, billingUpcasters } from './domain/account.upcasters';
import { checkoutStream } from './domain/checkout.decider';
import { LedgerService } from './ledger.service';
import { AccountsQueries } from './read-model/accounts.queries';
import { accountsProjection } from './read-model/accounts.projection';
import { checkoutsProjection } from './read-model/checkouts.projection';
import { CheckoutsQueries } from './read-model/checkouts.queries';
import { Reconciliation } from './reconciliation';
import { stripeEventStream, StripeWebhookService } from './stripe-webhook.service';

/**
 * Buying credits as billing runs it: the real `stripe` client against the local fake Stripe API,
 * webhooks signed with the real library's helper, commands on the in-memory store, balances and
 * checkouts from the real projections.
 */
describe('buying credits', () => {
  const secret = 'whsec_test_secret';
  const env = billingEnvSchema.parse({
    SIGNUP_CREDITS: '1',
    CHECKOUT_REDIRECT_ORIGINS: 'https://app.example.com',
  });
  let fake: FakeStripe;
  let spec: ReturnType<typeof serviceSpec>;
  let accounts: ProjectionSpec;
  let checkoutsRead: ProjectionSpec;
  let ledger: LedgerService;
  let checkouts: CheckoutService;
  let webhooks: StripeWebhookService;
  let userId: string;

  beforeAll(async () => {
    fake = await startFakeStripe({ apiKey: 'sk_test_fake' });
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    userId = randomUUID();
    spec = serviceSpec({ schemas: billingSchemas, upcasters: billingUpcasters });
    accounts = await projectionSpec(accountsProjection, { store: spec.store });
    checkoutsRead = await projectionSpec(checkoutsProjection, { store: spec.store });
    accounts.projector.start();
    ledger = new LedgerService(
      spec.store,
      new AccountsQueries(accounts.pool, accounts.schema),
      env,
      accounts.projector,
    );
    const payments = stripePayments(createStripeClient({ secretKey: 'sk_test_fake', apiBaseUrl: fake.baseUrl }));
    checkouts = new CheckoutService(spec.store, env, payments, ledger);
    webhooks = new StripeWebhookService(
      spec.store,
      stripeWebhookVerifier(secret, 300),
      checkouts,
      new CheckoutsQueries(checkoutsRead.pool, checkoutsRead.schema),
    );
    await ledger.openAccount(userId, {});
  });
  afterEach(async () => {
    await accounts.close();
    await checkoutsRead.close();
  });

  const deliver = (event: object, options: { secret?: string; timestamp?: number; signature?: string | null } = {}) => {
    const body = JSON.stringify(event);
    const signature =
      options.signature === null
        ? undefined
        : (options.signature ?? signStripePayload(body, options.secret ?? secret, options.timestamp));
    return webhooks.receive(Buffer.from(body).toString('base64'), signature);
  };
  /** What the inbox projection does after the webhook was answered. */
  const processInbox = async (stripeEventId: string) => {
    for (const e of await spec.store.readStream(stripeEventStream(stripeEventId)))
      await webhooks.process(e.data as never);
  };
  const available = async () => {
    const events = await spec.store.readStream(accountStream(userId));
    const { accountDecider } = await import('./domain/account.decider');
    return events.reduce((s, e) => accountDecider.evolve(s, e as never), accountDecider.initialState());
  };
  const buy = async (packageId = 'basic') => {
    const session = await checkouts.startCheckout({ userId, packageId });
    return fake.complete(session.sessionId);
  };

  it('offers the configured packages', () =>
    expect(checkouts.packages()).toEqual([
      { id: 'basic', credits: 10, amount: 999, currency: 'usd' },
      { id: 'standard', credits: 25, amount: 1999, currency: 'usd' },
      { id: 'premium', credits: 50, amount: 2999, currency: 'usd' },
    ]));

  it('creates a Checkout Session for the user and records the pending purchase, once per retry', async () => {
    const outcome = await spec.when(() => checkouts.startCheckout({ userId, packageId: 'standard' }));
    const reply = outcome.result as { sessionId: string; checkoutUrl: string; expiresAt: string };
    expect(reply.checkoutUrl).toContain(reply.sessionId);
    outcome.thenAppends([
      {
        stream: checkoutStream(reply.sessionId),
        type: 'CheckoutStarted',
        data: expect.objectContaining({ userId, packageId: 'standard', credits: 25, amount: 1999, currency: 'usd' }),
      },
    ]);
    const request = fake.requests.find((r) => r.method === 'POST')!;
    expect(request.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(request.body).toMatchObject({
      mode: 'payment',
      client_reference_id: userId,
      metadata: { user_id: userId, package_id: 'standard', credits: '25' },
      payment_intent_data: { metadata: { user_id: userId, package_id: 'standard' } },
      line_items: { 0: { quantity: '1', price_data: { currency: 'usd', unit_amount: '1999' } } },
    });
    (await spec.when(() => checkouts.startCheckout({ userId, packageId: 'standard' })))
      .thenReplies(reply)
      .thenAppendsNothing();
  });

  it('refuses an unknown package, and redirect URLs outside the allowed origins', async () => {
    (await spec.when(() => checkouts.startCheckout({ userId, packageId: 'gold' }))).thenFails({
      code: 'validation_failed',
      message: expect.stringMatching(/Unknown package "gold"/),
    });
    (
      await spec.when(() =>
        checkouts.startCheckout({ userId, packageId: 'basic', successUrl: 'https://evil.example/phish' }),
      )
    ).thenFails({ code: 'validation_failed', message: expect.stringMatching(/success_url/) });
    await expect(
      checkouts.startCheckout({ userId, packageId: 'basic', successUrl: 'https://app.example.com/done' }),
    ).resolves.toMatchObject({ sessionId: expect.stringMatching(/^cs_test_/) });
  });

  it('answers 503 when no Stripe key is configured', async () => {
    const unconfigured = new CheckoutService(spec.store, env, null, ledger);
    (await spec.when(() => unconfigured.startCheckout({ userId, packageId: 'basic' }))).thenFails({
      code: 'unavailable',
    });
  });

  it('credits a paid session once, however often and concurrently its webhook arrives', async () => {
    const session = await buy();
    const event = stripeEvent('checkout.session.completed', session);
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => deliver(event)));
    expect(replies.filter((r) => !r.duplicate)).toHaveLength(1);
    // a replay an hour later, re-signed (Stripe's own retry)
    await expect(deliver(event)).resolves.toEqual({ received: true, duplicate: true });
    expect(await spec.store.readStream(stripeEventStream(event.id))).toHaveLength(1);
    await processInbox(event.id);
    await processInbox(event.id);
    expect((await available()).available).toBe(11);
    const grants = (await spec.store.readStream(accountStream(userId))).filter(
      (e) => e.type === 'CreditsGranted' && (e.data as { reason: string }).reason === 'purchase',
    );
    expect(grants).toHaveLength(1);
    expect(grants[0].data).toMatchObject({
      purchaseId: session.id,
      packageId: 'basic',
      amountPaid: 999,
      currency: 'usd',
    });
  });

  it('grants nothing until an asynchronous payment succeeds', async () => {
    const session = await checkouts.startCheckout({ userId, packageId: 'basic' });
    const pending = fake.complete(session.sessionId, 'unpaid');
    const completed = stripeEvent('checkout.session.completed', pending);
    await deliver(completed);
    await processInbox(completed.id);
    expect((await available()).available).toBe(1);
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', { ...pending, payment_status: 'paid' });
    await deliver(succeeded);
    await processInbox(succeeded.id);
    expect((await available()).available).toBe(11);
  });

  it.each([
    ['a forged signature', { signature: 't=1,v1=deadbeef' }],
    ['the wrong secret', { secret: 'whsec_someone_else' }],
    ['a timestamp older than the tolerance', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['no signature', { signature: null }],
  ])('refuses a webhook with %s (400) and stores nothing', async (_, options) => {
    const session = await buy();
    (await spec.when(() => deliver(stripeEvent('checkout.session.completed', session), options))).thenFails({
      code: 'bad_request',
    });
  });

  it('acknowledges an event type it does not handle, and stores nothing', async () =>
    (await spec.when(() => deliver(stripeEvent('customer.created', { id: 'cus_1' }))))
      .thenReplies({ received: true, duplicate: false })
      .thenAppendsNothing());

  it('claws back the refunded share, then all of it, leaving a debt for what was spent', async () => {
    const session = await buy();
    const paid = stripeEvent('checkout.session.completed', session);
    await deliver(paid);
    await processInbox(paid.id);
    await checkoutsRead.catchUp();
    const half = stripeEvent('charge.refunded', refundedCharge(session, 500));
    await deliver(half);
    await processInbox(half.id);
    expect(await available()).toMatchObject({ available: 6, debt: 0 });
    for (let i = 0; i < 6; i++) await ledger.reserve(userId, randomUUID(), {});
    const full = stripeEvent('charge.refunded', refundedCharge(session, 999));
    await deliver(full);
    await processInbox(full.id);
    expect(await available()).toMatchObject({ available: 0, debt: 5 });
    (await spec.when(() => ledger.reserve(userId, randomUUID(), {}))).thenFails({
      code: 'insufficient_credits',
      message: expect.stringMatching(/owes 5 credit/),
    });
  });

  it('holds the credits of a disputed charge, finding the session from Stripe when it has not seen it', async () => {
    const session = await buy();
    const dispute = stripeEvent('charge.dispute.created', {
      id: 'dp_test_1',
      object: 'dispute',
      charge: 'ch_1',
      payment_intent: session.payment_intent,
    });
    await deliver(dispute);
    await processInbox(dispute.id);
    // the completion webhook never came: the dispute's lookup completed the session, then held its credits
    expect(await available()).toMatchObject({ available: 1, debt: 0 });
    const kinds = (await spec.store.readStream(checkoutStream(session.id))).map((e) => e.type);
    expect(kinds).toEqual(['CheckoutStarted', 'CheckoutPaid', 'CheckoutDisputed']);
  });

  it('gives a won dispute’s credits back, once, and keeps a lost one’s', async () => {
    const won = await buy();
    const paid = stripeEvent('checkout.session.completed', won);
    await deliver(paid);
    await processInbox(paid.id);
    await checkoutsRead.catchUp();
    const before = await available();
    const dispute = (id: string, session: typeof won, type: string, status: string) =>
      stripeEvent(type, { id, object: 'dispute', charge: 'ch_1', payment_intent: session.payment_intent, status });
    const opened = dispute('dp_won', won, 'charge.dispute.created', 'needs_response');
    await deliver(opened);
    await processInbox(opened.id);
    expect(await available()).toMatchObject({ available: before.available - 10 });
    // a dispute update that is not a decision changes nothing
    const review = dispute('dp_won', won, 'charge.dispute.closed', 'under_review');
    await deliver(review);
    await processInbox(review.id);
    expect(await available()).toMatchObject({ available: before.available - 10 });
    for (const id of ['evt_closed_a', 'evt_closed_b']) {
      // Stripe delivering the decision twice, under two event ids: restored once
      const closed = { ...dispute('dp_won', won, 'charge.dispute.closed', 'won'), id };
      await deliver(closed);
      await processInbox(closed.id);
    }
    expect(await available()).toMatchObject({ available: before.available, debt: 0 });
    const kinds = (await spec.store.readStream(checkoutStream(won.id))).map((e) => e.type);
    expect(kinds).toEqual(['CheckoutStarted', 'CheckoutPaid', 'CheckoutDisputed', 'CheckoutDisputeClosed']);

    const lost = await buy('standard');
    expect(lost.id).not.toBe(won.id);
    const lostPaid = stripeEvent('checkout.session.completed', lost);
    await deliver(lostPaid);
    await processInbox(lostPaid.id);
    await checkoutsRead.catchUp();
    const afterSecond = await available();
    for (const [type, status] of [
      ['charge.dispute.created', 'needs_response'],
      ['charge.dispute.closed', 'lost'],
    ]) {
      const event = dispute('dp_lost', lost, type, status);
      await deliver(event);
      await processInbox(event.id);
    }
    expect(await available()).toMatchObject({ available: afterSecond.available - 25 });
  });

  it('reconciliation grants a paid session no webhook delivered, once', async () => {
    const session = await buy('premium');
    const reconciliation = new Reconciliation(checkouts, createLocalLeaderLock, 72);
    const first = await reconciliation.run();
    // (earlier specs' paid sessions are in the fake too, for accounts this store does not hold)
    expect(first).toMatchObject({ ran: true, granted: expect.arrayContaining([session.id]) });
    expect((await available()).available).toBe(51);
    const again = await reconciliation.run();
    expect(again.granted).toEqual([]);
    // the webhook arriving late changes nothing
    const late = stripeEvent('checkout.session.completed', session);
    await deliver(late);
    await processInbox(late.id);
    expect((await available()).available).toBe(51);
  });

  it('runs reconciliation in one replica at a time (a PostgreSQL advisory lock)', async () => {
    const key = `reconcile-${randomUUID()}`;
    const holder = createPostgresLeaderLock(accounts.pool, key);
    expect(await holder.acquire()).toBe(true);
    const other = new Reconciliation(checkouts, () => createPostgresLeaderLock(accounts.pool, key), 72);
    await expect(other.run()).resolves.toEqual({ ran: false, checked: 0, granted: [] });
    await holder.release();
    await expect(other.run()).resolves.toMatchObject({ ran: true });
  });

  it('refuses to reconcile, or start a checkout, with a key Stripe rejects (503 saying why, no key in it)', async () => {
    const wrongKey = stripePayments(createStripeClient({ secretKey: 'sk_test_wrong', apiBaseUrl: fake.baseUrl }));
    const misconfigured = new CheckoutService(spec.store, env, wrongKey, ledger);
    const outcome = await spec.when(() => misconfigured.startCheckout({ userId, packageId: 'basic' }));
    outcome.thenFails({ code: 'unavailable', message: expect.stringMatching(/misconfigured/) });
    expect((outcome.error as Error).message).not.toContain('sk_test_wrong');
  });

  it('history lists purchases and spending newest first, with the balance after each', async () => {
    const session = await buy();
    const paid = stripeEvent('checkout.session.completed', session);
    await deliver(paid);
    await processInbox(paid.id);
    const videoId = randomUUID();
    await ledger.reserve(userId, videoId, {});
    await accounts.catchUp();
    const page = await ledger.history(userId, undefined, 2);
    expect(page.items).toEqual([
      expect.objectContaining({ kind: 'reserve', amount: -1, balanceAfter: 10, videoId }),
      expect.objectContaining({ kind: 'purchase', amount: 10, balanceAfter: 11, packageId: 'basic', amountPaid: 999 }),
    ]);
    const rest = await ledger.history(userId, page.nextCursor!, 2);
    expect(rest).toEqual({
      items: [expect.objectContaining({ kind: 'grant', amount: 1, balanceAfter: 1, reason: 'signup' })],
      nextCursor: null,
    });
    await expect(ledger.history(userId, 'not-a-cursor', 2)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
