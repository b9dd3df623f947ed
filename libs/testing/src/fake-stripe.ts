import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the parts of Stripe's API billing uses: Checkout Session creation (form-encoded,
 * with Idempotency-Key replay), retrieval and listing (with `created[gte]`, `status`, `starting_after`),
 * in Stripe's wire format, so the real `stripe` client can be pointed at it (`STRIPE_API_BASE_URL`).
 * Test helpers complete sessions as a customer paying would, and sign webhook payloads with the
 * real library's test-header helper.
 */

export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  url: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  amount_total: number;
  currency: string;
  success_url: string;
  cancel_url: string;
  created: number;
  expires_at: number;
  /** Not Stripe's: the raw form parameters it was created with, for assertions. */
  line_items_params?: unknown;
  payment_intent_metadata?: Record<string, string>;
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`: the value for STRIPE_API_BASE_URL. */
  readonly baseUrl: string;
  readonly sessions: Map<string, FakeCheckoutSession>;
  /** Every request received: method, path, form body, headers. */
  readonly requests: { method: string; path: string; body: Record<string, unknown>; idempotencyKey?: string }[];
  /** The customer pays (or starts an async payment): the session becomes `complete`. */
  complete(sessionId: string, paymentStatus?: 'paid' | 'unpaid'): FakeCheckoutSession;
  close(): Promise<void>;
}

/** Stripe's form encoding (`a[b][0][c]=1`) back into an object. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function startFakeStripe(options: { apiKey?: string } = {}): Promise<FakeStripe> {
  const apiKey = options.apiKey ?? 'sk_test_fake';
  const sessions = new Map<string, FakeCheckoutSession>();
  const requests: FakeStripe['requests'] = [];
  const replays = new Map<string, { status: number; body: unknown }>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, type: string, message: string, param?: string) =>
    send(res, status, { error: { type, message, ...(param ? { param } : {}) } });

  function createSession(body: Record<string, unknown>): { status: number; body: unknown } {
    const lineItems = body.line_items as Record<string, Record<string, unknown>> | undefined;
    const item = lineItems?.['0'];
    const price = item?.price_data as Record<string, unknown> | undefined;
    const amount = Number(price?.unit_amount);
    const quantity = Number(item?.quantity ?? 1);
    if (body.mode !== 'payment')
      return { status: 400, body: { error: { type: 'invalid_request_error', message: 'mode', param: 'mode' } } };
    if (!price || !Number.isInteger(amount) || !str(price.currency))
      return {
        status: 400,
        body: { error: { type: 'invalid_request_error', message: 'line_items', param: 'line_items' } },
      };
    if (!str(body.success_url))
      return { status: 400, body: { error: { type: 'invalid_request_error', message: 'success_url' } } };
    const now = Math.floor(Date.now() / 1000);
    const session: FakeCheckoutSession = {
      id: id('cs'),
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      url: '',
      client_reference_id: str(body.client_reference_id) ?? null,
      metadata: (body.metadata as Record<string, string>) ?? {},
      payment_intent: null,
      amount_total: amount * quantity,
      currency: str(price.currency)!,
      success_url: str(body.success_url)!,
      cancel_url: str(body.cancel_url) ?? '',
      created: now,
      expires_at: Number(body.expires_at ?? now + 86_400),
      line_items_params: lineItems,
      payment_intent_metadata: (body.payment_intent_data as { metadata?: Record<string, string> })?.metadata,
    };
    session.url = `https://checkout.stripe.com/c/pay/${session.id}`;
    sessions.set(session.id, session);
    return { status: 200, body: session };
  }

  function list(query: URLSearchParams) {
    const gte = Number(query.get('created[gte]') ?? 0);
    const status = query.get('status');
    const limit = Math.min(Number(query.get('limit') ?? 10), 100);
    const after = query.get('starting_after');
    const paymentIntent = query.get('payment_intent');
    // Stripe lists newest first.
    let all = [...sessions.values()]
      .filter((s) => s.created >= gte && (!status || s.status === status))
      .filter((s) => !paymentIntent || s.payment_intent === paymentIntent)
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    if (after) all = all.slice(all.findIndex((s) => s.id === after) + 1);
    return { object: 'list', url: '/v1/checkout/sessions', has_more: all.length > limit, data: all.slice(0, limit) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return error(res, 400, 'invalid_request_error', 'Stripe takes form-encoded bodies');
    const body = parseStripeForm(raw);
    const idempotencyKey = str(req.headers['idempotency-key']);
    requests.push({ method: req.method ?? '', path: url.pathname, body, idempotencyKey });
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return error(res, 401, 'invalid_request_error', 'Invalid API Key provided');

    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const replay = idempotencyKey ? replays.get(idempotencyKey) : undefined;
      if (replay) return send(res, replay.status, replay.body);
      const result = createSession(body);
      if (idempotencyKey) replays.set(idempotencyKey, result);
      return send(res, result.status, result.body);
    }
    if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') return send(res, 200, list(url.searchParams));
    const one = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const session = sessions.get(one[1]);
      return session
        ? send(res, 200, session)
        : error(res, 404, 'invalid_request_error', `No such checkout.session: '${one[1]}'`);
    }
    return error(res, 404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname})`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, 'api_error', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sessions,
    requests,
    complete(sessionId, paymentStatus = 'paid') {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`fake Stripe: no session ${sessionId}`);
      Object.assign(session, {
        status: 'complete',
        payment_status: paymentStatus,
        payment_intent: id('pi'),
        url: null,
      });
      return session;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A Stripe event as its webhook delivers it. */
export function stripeEvent(type: string, object: object, options: { id?: string; created?: number } = {}) {
  return {
    id: options.id ?? id('evt'),
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** Signs a webhook body as Stripe does (the real library's helper); `timestamp` in seconds, to test staleness. */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** A charge after a (partial or full) refund: what `charge.refunded` carries. */
export function refundedCharge(session: FakeCheckoutSession, amountRefunded: number) {
  return {
    id: `ch_${(session.payment_intent ?? id('pi')).slice(3)}`, // one charge per payment: refunds repeat its id
    object: 'charge',
    amount: session.amount_total,
    amount_refunded: amountRefunded,
    currency: session.currency,
    payment_intent: session.payment_intent,
    metadata: session.payment_intent_metadata ?? {},
    refunded: amountRefunded >= session.amount_total,
  };
}
