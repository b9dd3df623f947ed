import path from 'node:path';
import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { parseSigningKeys } from './auth/signing-keys';

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
/** dist/clients/web beside dist/services/gateway (this file runs as dist/services/gateway/src/config.js). */
export const DEFAULT_WEB_APP_DIR = path.resolve(__dirname, '../../../clients/web');
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
    /**
     * Browser origins allowed to call the API (CORS), comma-separated, e.g. `https://app.example.com`.
     * Empty (the default) allows none: browsers on other sites cannot read any reply.
     */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'each origin is scheme://host[:port], no path'))),
    /** Live-progress streams one user may hold open at once, per gateway replica; one more is a 429. */
    SSE_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
    /** A comment line this often keeps proxies from closing an idle stream; the durable history is re-read as well. */
    SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    /** Video submissions one user may make per window (across replicas); one more is a 429 with Retry-After. */
    RATE_LIMIT_SUBMIT: z.coerce.number().int().min(1).max(100_000).default(30),
    // each checkout creates a Stripe session: a loop in a client must not create thousands
    RATE_LIMIT_CHECKOUT: z.coerce.number().int().min(1).max(100_000).default(10),
    // each export reads every note of the user and builds a file in the notes service
    RATE_LIMIT_EXPORT: z.coerce.number().int().min(1).max(100_000).default(10),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /**
     * The web app's Vite build (index.html and assets/), served at `/`. The default is where `npm run build`
     * puts it (dist/clients/web, also in the gateway image); empty, or a directory without index.html, turns it off.
     */
    WEB_APP_DIR: z.string().default(DEFAULT_WEB_APP_DIR),
    /** `GET /videos/{id}` replies this replica keeps (evicted on videos' change notices); 0 turns the cache off. */
    VIDEO_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
    /** The longest a cached video view answers: the bound on staleness should a change notice be lost. */
    VIDEO_CACHE_MAX_AGE_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
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
