import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { parseSigningKeys } from './auth/signing-keys';

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

export const gatewayEnvSchema = baseEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    /**
     * Ed25519 private keys (PKCS#8 PEM, concatenated): the first signs access tokens, all verify and are
     * published at /.well-known/jwks.json. Required in production; a development run without it gets a
     * random key per start.
     */
    JWT_SIGNING_KEYS: z.string().optional(),
    ACCESS_TOKEN_TTL_SECONDS: seconds(60, 86_400, 900),
    /** A session that is not refreshed for this long ends. */
    REFRESH_TOKEN_TTL_SECONDS: seconds(300, 365 * 86_400, 30 * 86_400),
    /** Failed logins per account, and per client address, within LOGIN_THROTTLE_WINDOW_SECONDS. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
    LOGIN_MAX_FAILURES_PER_IP: count(50),
    LOGIN_THROTTLE_WINDOW_SECONDS: seconds(1, 86_400, 900),
    REGISTRATIONS_PER_IP: count(20),
    REGISTRATION_WINDOW_SECONDS: seconds(1, 7 * 86_400, 3600),
    /** Largest request body; a transcript of up to 800 kB must fit. */
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SIGNING_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SIGNING_KEYS'], message: 'is required in production' });
    }
    if (env.JWT_SIGNING_KEYS) {
      try {
        parseSigningKeys(env.JWT_SIGNING_KEYS);
      } catch (e) {
        // The message names the problem, never the key material.
        ctx.addIssue({ code: 'custom', path: ['JWT_SIGNING_KEYS'], message: (e as Error).message });
      }
    }
  });
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export const loadGatewayEnv = () => loadEnv(gatewayEnvSchema);
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
