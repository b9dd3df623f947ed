import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

/** The PostgreSQL on this machine (trust auth); CI runs against the same one. */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function createTestPool(max = 10): Pool {
  return new Pool({ connectionString: testDatabaseUrl(), max });
}

/** A fresh schema name per test run, so suites can run in parallel against one server. */
export function uniqueSchema(prefix: string): string {
  return `t_${prefix}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
