import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const billingEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8084),
  /** Credits every new account starts with. */
  SIGNUP_CREDITS: z.coerce.number().int().min(0).max(1000).default(3),
  /** A credit held this long for a video that was never accepted is released. */
  RESERVATION_TTL_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
  RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
});
export type BillingEnv = z.infer<typeof billingEnvSchema>;
export const loadBillingEnv = () => loadEnv(billingEnvSchema);
export const BILLING_ENV = Symbol('BILLING_ENV');
