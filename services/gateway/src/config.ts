import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const gatewayEnvSchema = baseEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    /** HMAC key for access tokens. Required in production; a development run without it gets a random one per start. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
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
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
    }
  });
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export const loadGatewayEnv = () => loadEnv(gatewayEnvSchema);
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
