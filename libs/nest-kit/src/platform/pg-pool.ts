import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { BaseEnv } from '@study-buddy/config';

/**
 * The service's PostgreSQL pool, made to ride out a database outage:
 * - every client gets an error listener for its whole life. pg-pool listens only while a client is idle,
 *   so a connection dropped while checked out (a transaction between two queries, the event store's
 *   LISTEN connection, a leader lock) would otherwise crash the process with an unhandled 'error';
 *   such a client is not queryable any more and the pool discards it on release.
 * - waiting for a connection (the server not answering, or the pool exhausted) and waiting for a query's
 *   answer are bounded, so a call fails instead of hanging while PostgreSQL is unreachable.
 * New connections are opened on demand, so everything resumes by itself when the database returns.
 */
export function createPgPool(
  env: Pick<
    BaseEnv,
    'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'DATABASE_CONNECT_TIMEOUT_MS' | 'DATABASE_QUERY_TIMEOUT_MS'
  >,
  logger = new Logger('PostgreSQL'),
): Pool {
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: env.DATABASE_QUERY_TIMEOUT_MS,
    keepAlive: true,
  });
  pool.on('error', (e) => logger.warn(`idle connection lost: ${e.message}`));
  pool.on('connect', (client) => {
    client.on('error', (e) => logger.warn(`connection lost: ${e.message}`));
  });
  return pool;
}
