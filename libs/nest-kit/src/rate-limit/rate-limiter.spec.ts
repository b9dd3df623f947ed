import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresRateLimiter } from './rate-limiter';

describe('the PostgreSQL rate limiter', () => {
  let pool: Pool;
  // A schema of its own: other suites share this server.
  const schema = { name: `t_ratelimit_${randomBytes(4).toString('hex')}` };

  beforeAll(() => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema.name}" CASCADE`);
    await pool.end();
  });

  it('allows the limit per window and key, then refuses with the seconds left, for every replica alike', async () => {
    // Two limiters on one database stand for two gateway replicas.
    const [a, b] = await Promise.all([
      createPostgresRateLimiter(pool, schema.name),
      createPostgresRateLimiter(pool, schema.name),
    ]);
    const rule = { limit: 3, windowSeconds: 3600 };
    const verdicts = await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? a : b).hit('submit', 'user-1', rule)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    const refused = verdicts.find((v) => !v.allowed);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (refused && !refused.allowed) expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // Someone else, or another bucket, is not affected.
    expect(await a.hit('submit', 'user-2', rule)).toEqual({ allowed: true });
    expect(await a.hit('export', 'user-1', rule)).toEqual({ allowed: true });
  });

  it('starts counting again in the next window', async () => {
    const limiter = await createPostgresRateLimiter(pool, schema.name);
    const rule = { limit: 1, windowSeconds: 1 };
    await limiter.hit('short', 'k', rule);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await limiter.hit('short', 'k', rule)).toEqual({ allowed: true });
  });
});
