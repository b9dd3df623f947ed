import { createHash } from 'node:crypto';
import { Pool, PoolClient, QueryConfig } from 'pg';

/** Quotes a PostgreSQL identifier (schema and table names come from configuration, never from users). */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

/** Quotes a string as a PostgreSQL literal, for the few statements that cannot take parameters. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('A SQL literal cannot hold NUL');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Runs `work` in one transaction on a dedicated connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

const statementNames = new Map<string, string>();

/**
 * A query as a named prepared statement: each connection parses and plans it once, and later runs
 * only bind and execute, which on the hot paths (event reads and appends, checkpoints) takes
 * PostgreSQL well under half the CPU. Only for statements on tables whose shape never changes
 * under a running process (a prepared plan outlives nothing but a change of result type).
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `sb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}
