import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const billingEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8084),
  /** Credits every new account starts with. */
  SIGNUP_CREDITS: z.coerce.number().int().min(0).max(1000).default(3),
});
export type BillingEnv = z.infer<typeof billingEnvSchema>;
export const loadBillingEnv = () => loadEnv(billingEnvSchema);
export const BILLING_ENV = Symbol('BILLING_ENV');
