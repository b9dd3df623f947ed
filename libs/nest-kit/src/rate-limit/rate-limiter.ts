import { Pool } from 'pg';
import { applyMigrations, Migration, prepared, quoteIdent } from '@study-buddy/event-store';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts hits per (bucket, key) in fixed windows; shared by every replica, so a limit holds across them. */
export interface RateLimiter {
  hit(bucket: string, key: string, rule: RateLimitRule): Promise<RateLimitVerdict>;
}

export const rateLimitMigrations: Migration[] = [
  {
    version: 1,
    name: 'rate limit windows',
    async up(client, schema) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.rate_limits (
        bucket text NOT NULL,
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (bucket, key))`);
    },
  },
];

/**
 * PostgreSQL-backed fixed windows: one upsert per hit, atomic under concurrency, timed by the
 * database's clock so replicas with drifting clocks agree on the window. One row per key, reused.
 */
export async function createPostgresRateLimiter(pool: Pool, schema: string): Promise<RateLimiter> {
  await applyMigrations(pool, schema, 'rate-limits', rateLimitMigrations);
  const table = `${quoteIdent(schema)}.rate_limits`;
  return {
    async hit(bucket, key, { limit, windowSeconds }) {
      const { rows } = await pool.query<{ hits: number; retry_after: string }>(
        prepared(
          `WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / $3) * $3) AS start)
         INSERT INTO ${table} AS t (bucket, key, window_start, hits) SELECT $1, $2, w.start, 1 FROM w
         ON CONFLICT (bucket, key) DO UPDATE
           SET hits = CASE WHEN t.window_start = EXCLUDED.window_start THEN t.hits + 1 ELSE 1 END,
               window_start = EXCLUDED.window_start
         RETURNING hits, extract(epoch FROM (window_start + make_interval(secs => $3) - now())) AS retry_after`,
          [bucket, key, windowSeconds],
        ),
      );
      const { hits, retry_after } = rows[0];
      if (hits <= limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(retry_after))) };
    },
  };
}
