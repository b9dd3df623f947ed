import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { creditPackage } from '@study-buddy/contracts';

const DEFAULT_PACKAGES = JSON.stringify([
  { id: 'basic', credits: 10, amount: 999, currency: 'usd' },
  { id: 'standard', credits: 25, amount: 1999, currency: 'usd' },
  { id: 'premium', credits: 50, amount: 2999, currency: 'usd' },
]);

/** `CREDIT_PACKAGES`: a JSON array of `{id, credits, amount (minor units), currency}` with unique ids. */
const packages = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of packages' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(creditPackage)
      .min(1)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'package ids must be unique'),
  );

const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().url()));

export const billingEnvSchema = baseEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8084),
    /** Credits every new account starts with. */
    SIGNUP_CREDITS: z.coerce.number().int().min(0).max(1000).default(3),
    /** A credit held this long is checked with videos, once: released if its video never arrived. */
    RESERVATION_TTL_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** Stripe API key (secret). Unset: checkout and reconciliation answer 503. */
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    /** Signing secret of the webhook endpoint (secret). Unset: the webhook answers 503 and Stripe retries. */
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** Only for tests and local fakes (`http://127.0.0.1:12111`); unset in production, where Stripe's own API is used. */
    STRIPE_API_BASE_URL: z.string().url().optional(),
    /** A signed webhook older than this is refused (replayed captures). */
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    CREDIT_PACKAGES: packages.prefault(DEFAULT_PACKAGES),
    /** Where Stripe sends the customer after paying / giving up; `{CHECKOUT_SESSION_ID}` is filled in by Stripe. */
    CHECKOUT_SUCCESS_URL: z
      .string()
      .url()
      .default('http://127.0.0.1:8080/?checkout=success&session_id={CHECKOUT_SESSION_ID}'),
    CHECKOUT_CANCEL_URL: z.string().url().default('http://127.0.0.1:8080/?checkout=cancelled'),
    /** Origins a client may name in its own success_url / cancel_url; empty: clients cannot choose. */
    CHECKOUT_REDIRECT_ORIGINS: origins.prefault(''),
    /** How often to look for paid sessions no webhook delivered (0: never, only `npm run billing:reconcile`). */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
    /** How far back reconciliation looks at completed Checkout Sessions. */
    RECONCILE_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  })
  .superRefine((env, ctx) => {
    // Payments must not go to a plain-HTTP stand-in by accident of a leftover test setting.
    if (env.NODE_ENV === 'production' && env.STRIPE_API_BASE_URL?.startsWith('http:'))
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_API_BASE_URL'],
        message: 'must be unset (or https) in production',
      });
  });
export type BillingEnv = z.infer<typeof billingEnvSchema>;
export const loadBillingEnv = () => loadEnv(billingEnvSchema);
export const BILLING_ENV = Symbol('BILLING_ENV');
