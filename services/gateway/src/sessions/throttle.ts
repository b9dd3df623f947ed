import { Pool } from 'pg';
import { applyMigrations, Migration, quoteIdent } from '@study-buddy/event-store';

export interface Limit {
  max: number;
  windowSeconds: number;
}

const migrations: Migration[] = [
  {
    version: 1,
    name: 'throttle counters',
    up: async (client, schema) => {
      await client.query(`CREATE TABLE ${quoteIdent(schema)}.throttle (
        key text PRIMARY KEY, window_start timestamptz NOT NULL, hits integer NOT NULL)`);
    },
  },
];

/**
 * Fixed-window counters in PostgreSQL, so every gateway replica sees the same
 * counts (process memory would give an attacker a fresh budget per replica).
 * Time is the database's clock, for the same reason. Not event-sourced on
 * purpose: counters are disposable operational state, not history.
 */
export class Throttle {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.throttle`;
  }

  async setup(): Promise<void> {
    await applyMigrations(this.pool, this.schema, 'gateway-throttle', migrations);
  }

  /** Seconds until `key` is below its limit again; 0 when it is below now. */
  async retryAfter(key: string, limit: Limit): Promise<number> {
    const { rows } = await this.pool.query<{ hits: number; left: string }>(
      `SELECT hits, extract(epoch FROM window_start + make_interval(secs => $2) - now()) AS left
         FROM ${this.table} WHERE key = $1`,
      [key, limit.windowSeconds],
    );
    const row = rows[0];
    if (!row || Number(row.left) <= 0 || row.hits < limit.max) return 0;
    return Math.max(1, Math.ceil(Number(row.left)));
  }

  /** Counts one hit (atomically, across replicas); returns the same as `retryAfter` would after it. */
  async hit(key: string, limit: Limit): Promise<number> {
    const { rows } = await this.pool.query<{ hits: number; left: string }>(
      `INSERT INTO ${this.table} AS t (key, window_start, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN t.window_start + make_interval(secs => $2) <= now() THEN 1 ELSE t.hits + 1 END,
         window_start = CASE WHEN t.window_start + make_interval(secs => $2) <= now() THEN now() ELSE t.window_start END
       RETURNING hits, extract(epoch FROM window_start + make_interval(secs => $2) - now()) AS left`,
      [key, limit.windowSeconds],
    );
    const { hits, left } = rows[0];
    return hits >= limit.max ? Math.max(1, Math.ceil(Number(left))) : 0;
  }

  async clear(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  /** Windows that ended long ago: called now and then so the table stays small. */
  async prune(olderThanSeconds: number): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE window_start < now() - make_interval(secs => $1)`, [
      olderThanSeconds,
    ]);
  }
}
