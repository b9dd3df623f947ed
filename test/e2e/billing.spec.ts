import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import {
  FakeStripe,
  refundedCharge,
  signStripePayload,
  startFakeStripe,
  stripeEvent,
  waitFor,
} from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

const WEBHOOK_SECRET = 'whsec_e2e_secret';
const API_KEY = 'sk_test_e2e';
const workspace = path.resolve(__dirname, '../..');

type Credits = { balance: number; reserved: number; debt?: number };
type HistoryEntry = { kind: string; amount: number; balance_after: number; package_id: string | null };

/**
 * Buying credits through all five services as separate processes (two videos replicas), with billing's
 * real Stripe client pointed at the local fake Stripe API and webhooks signed as Stripe signs them.
 */
describe('credits that can be bought (system test)', () => {
  let fake: FakeStripe;
  let system: System;
  let pool: Pool;

  beforeAll(async () => {
    fake = await startFakeStripe({ apiKey: API_KEY });
    system = await startSystem({
      replicas: { videos: 2 },
      extraEnv: {
        STRIPE_SECRET_KEY: API_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE_URL: fake.baseUrl,
        RECONCILE_INTERVAL_MS: '0', // reconciliation only when the test asks for it
        RATE_LIMIT_SUBMIT: '1000', // 50 submissions at once are the point here, not the per-user limit
      },
    });
    pool = new Pool({ connectionString: system.stack.env.DATABASE_URL, max: 2 });
  }, 180_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await pool?.end();
    await system?.teardown();
    await fake?.close();
  }, 60_000);

  const billingEvents = async (streamPrefix: string) => {
    const schema = `${system.stack.env.DB_SCHEMA_PREFIX}billing`;
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".events WHERE starts_with(stream_name, $1)`,
      [streamPrefix],
    );
    return Number(rows[0].n);
  };

  const webhook = (event: object, options: { secret?: string; timestamp?: number; unsigned?: boolean } = {}) => {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!options.unsigned)
      headers['stripe-signature'] = signStripePayload(body, options.secret ?? WEBHOOK_SECRET, options.timestamp);
    return system.api.post<{ received?: boolean; error?: { code: string; message: string } }>(
      '/webhooks/stripe',
      body,
      headers,
    );
  };

  const creditsOf = (client: ApiClient) => client.get<Credits>('/credits').then((r) => r.body);
  const creditsReach = (client: ApiClient, expected: Credits | ((c: Credits) => boolean)) =>
    waitFor(
      async () => {
        const body = await creditsOf(client);
        const ok = typeof expected === 'function' ? expected(body) : JSON.stringify(body) === JSON.stringify(expected);
        return ok ? body : undefined;
      },
      {
        timeoutMs: 20_000,
        what: `credits to be ${typeof expected === 'function' ? 'as expected' : JSON.stringify(expected)}`,
      },
    );
  const submit = (client: ApiClient, n: number, prefix: string) =>
    client.post<{ error?: { code: string; message: string } }>('/videos', {
      url: `https://youtu.be/${prefix}${String(n).padStart(11 - prefix.length, '0')}`,
      transcript: lecture,
    });
  const cli = (...args: string[]) =>
    promisify(execFile)('node', [path.join(workspace, 'dist/services/billing/src/cli.js'), ...args], {
      env: {
        ...process.env,
        NATS_URL: system.stack.env.NATS_URL,
        MESSAGING_NAMESPACE: system.stack.env.MESSAGING_NAMESPACE,
      },
      timeout: 60_000,
    });

  let buyer: ApiClient;
  let paidSession: ReturnType<FakeStripe['complete']>;

  it('sells a package end to end, crediting a webhook delivered five times at once and replayed once', async () => {
    ({ client: buyer } = await system.api.registerUser('buyer@example.com'));
    const packages = await system.api.get<{ items: { id: string; credits: number; amount: number }[] }>(
      '/credits/packages',
    );
    expect(packages.body.items.map((p) => [p.id, p.credits, p.amount])).toEqual([
      ['basic', 10, 999],
      ['standard', 25, 1999],
      ['premium', 50, 2999],
    ]);
    const checkout = await buyer.post<{ checkout_url: string; session_id: string; expires_at: string }>(
      '/credits/checkout',
      { package: 'basic' },
    );
    expect(checkout.status).toBe(201);
    expect(checkout.body.checkout_url).toContain(checkout.body.session_id);
    expect((await buyer.post('/credits/checkout', { package: 'gold' })).status).toBe(400);

    paidSession = fake.complete(checkout.body.session_id);
    const completed = stripeEvent('checkout.session.completed', paidSession);
    const deliveries = await Promise.all([1, 2, 3, 4, 5].map(() => webhook(completed)));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    await creditsReach(buyer, { balance: 13, reserved: 0 });
    // Stripe's replay of the same event an hour later, signed afresh
    expect((await webhook(completed)).status).toBe(200);
    expect(await billingEvents(`stripe-event-${completed.id}`)).toBe(1);

    const history = await buyer.get<{ items: HistoryEntry[] }>('/credits/history');
    expect(history.body.items.filter((e) => e.kind === 'purchase')).toEqual([
      expect.objectContaining({ amount: 10, balance_after: 13, package_id: 'basic', amount_paid: 999 }),
    ]);

    // spend them: 13 videos accepted, the 14th refused
    const spent = await Promise.all(Array.from({ length: 13 }, (_, i) => submit(buyer, i, 'buy')));
    expect(spent.map((r) => r.status)).toEqual(Array(13).fill(202));
    expect((await submit(buyer, 99, 'buy')).status).toBe(402);
  });

  it.each([
    ['a forged signature', () => ({ secret: 'whsec_forged_by_someone' })],
    ['the wrong secret', () => ({ secret: 'whsec_of_another_endpoint' })],
    ['a timestamp older than the tolerance', () => ({ timestamp: Math.floor(Date.now() / 1000) - 3600 })],
    ['no signature', () => ({ unsigned: true })],
  ])('refuses a webhook with %s: 400 and nothing stored', async (_, options) => {
    const before = await billingEvents('stripe-event-');
    const event = stripeEvent('checkout.session.completed', { ...paidSession, id: 'cs_test_forged' });
    const response = await webhook(event, options());
    expect(response.status).toBe(400);
    expect(response.body.error?.message).not.toContain(WEBHOOK_SECRET);
    expect(await billingEvents('stripe-event-')).toBe(before);
  });

  it('refuses a malformed body with 400', async () => {
    const body = '{"id": "evt_broken", ';
    const response = await system.api.post('/webhooks/stripe', body, {
      'content-type': 'application/json',
      'stripe-signature': signStripePayload(body, WEBHOOK_SECRET),
    });
    expect(response.status).toBe(400);
  });

  it('claws back a refunded payment: credits already spent become a debt that blocks submissions', async () => {
    const refund = stripeEvent('charge.refunded', refundedCharge(paidSession, paidSession.amount_total));
    expect((await webhook(refund)).status).toBe(200);
    await creditsReach(buyer, (c) => c.balance === 0 && c.debt === 10);
    const refused = await submit(buyer, 100, 'buy');
    expect(refused.status).toBe(402);
    expect(refused.body.error?.message).toMatch(/owes 10 credit/);
  });

  it('grants a payment whose webhook never came through reconciliation (npm run billing:reconcile)', async () => {
    const { client } = await system.api.registerUser('missed@example.com');
    const checkout = await client.post<{ session_id: string }>('/credits/checkout', { package: 'standard' });
    fake.complete(checkout.body.session_id);
    const { stdout } = await cli('reconcile');
    expect(stdout).toMatch(/granted 1 missed payment/);
    expect(stdout).toContain(checkout.body.session_id);
    await creditsReach(client, { balance: 28, reserved: 0 });
    expect((await cli('reconcile')).stdout).toMatch(/granted 0 missed payment/);
  });

  it('accepts exactly 10 of 50 concurrent submissions on a 10-credit balance, over two videos replicas', async () => {
    const { client } = await system.api.registerUser('racer@example.com');
    await creditsReach(client, { balance: 3, reserved: 0 });
    const granted = await cli('grant', 'racer@example.com', '7', '--reason', 'e2e: top up to ten');
    expect(granted.stdout).toMatch(/granted 7 credit/);
    expect((await cli('grant', 'racer@example.com', '7', '--reason', 'e2e: top up to ten')).stdout).toMatch(
      /already granted/,
    );
    await creditsReach(client, { balance: 10, reserved: 0 });
    expect(system.stack.replicas.map((r) => r.name)).toEqual(['videos-2']);

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(client, i, 'race')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    const after = await creditsOf(client);
    expect(after.balance).toBe(0);
    const history = await client.get<{ items: HistoryEntry[] }>('/credits/history?limit=100');
    expect(history.body.items.every((e) => e.balance_after >= 0)).toBe(true);
    expect(history.body.items.filter((e) => e.kind === 'reserve')).toHaveLength(10);
  });
});
