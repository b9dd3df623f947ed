import { Pool, PoolClient } from 'pg';

/** At most one holder across all replicas (e.g. the one outbox relay of a service). */
export interface LeaderLock {
  /** True while this process holds the lock; tries to take it when it does not. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
  /**
   * Counts the times this process took the lock: while it stays the same, no other holder can have
   * had it in between, so what the holder keeps in memory (a relay's position) is still current.
   */
  readonly term: number;
}

/**
 * A session-level advisory lock on a dedicated connection: if the process dies
 * or the connection drops, PostgreSQL frees the lock and another replica takes over.
 * A held lock's connection is checked at most every `checkMs` (default 1 s), not before every
 * batch of the loop it guards: a lost connection also shows as an error event at once, and what
 * leaders do is idempotent, so a second leader for under a second only repeats work.
 */
export function createPostgresLeaderLock(pool: Pool, key: string, { checkMs = 1000 } = {}): LeaderLock {
  let client: PoolClient | undefined;
  let checkedAt = 0;
  let term = 0;
  return {
    get term() {
      return term;
    },
    async acquire() {
      if (client) {
        if (Date.now() - checkedAt < checkMs) return true;
        try {
          await client.query('SELECT 1');
          checkedAt = Date.now();
          return true;
        } catch {
          client.release(true);
          client = undefined;
        }
      }
      const candidate = await pool.connect();
      try {
        const { rows } = await candidate.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
          key,
        ]);
        if (rows[0].ok) {
          candidate.on('error', () => {
            // lost: the next acquire() tries to take the lock again
            if (client === candidate) {
              client = undefined;
              candidate.release(true);
            }
          });
          client = candidate;
          checkedAt = Date.now();
          term += 1;
          return true;
        }
      } catch {
        /* treat as not acquired */
      }
      candidate.release();
      return false;
    },
    async release() {
      if (!client) return;
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      client.release();
      client = undefined;
    },
  };
}

export function createLocalLeaderLock(): LeaderLock {
  return { acquire: async () => true, release: async () => undefined, term: 1 };
}
