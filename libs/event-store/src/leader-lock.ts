import { Pool, PoolClient } from 'pg';

/** At most one holder across all replicas (e.g. the one outbox relay of a service). */
export interface LeaderLock {
  /** True while this process holds the lock; tries to take it when it does not. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A session-level advisory lock on a dedicated connection: if the process dies
 * or the connection drops, PostgreSQL frees the lock and another replica takes over.
 */
export function createPostgresLeaderLock(pool: Pool, key: string): LeaderLock {
  let client: PoolClient | undefined;
  return {
    async acquire() {
      if (client) {
        try {
          await client.query('SELECT 1');
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
          candidate.on('error', () => undefined); // a dead connection is detected by the next acquire()
          client = candidate;
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
  return { acquire: async () => true, release: async () => undefined };
}
