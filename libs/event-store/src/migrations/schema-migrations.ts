import { Pool, PoolClient } from 'pg';
import { quoteIdent, withTransaction } from '../sql';

/** One step of a component's DDL. `version`s start at 1 and increase by one; a shipped step never changes. */
export interface Migration {
  version: number;
  name: string;
  up(client: PoolClient, schema: string): Promise<void>;
}

function assertOrdered(component: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migrations of ${component} must be numbered 1, 2, 3…: found ${m.version} at position ${i + 1}`);
  });
}

/**
 * Applies a component's pending migrations, in order, once per schema. All
 * components of a schema share one advisory lock, so replicas starting
 * together wait for each other instead of racing on `CREATE`. Everything runs
 * in one transaction: a failing step leaves nothing half-applied. Versions the
 * database has and this code does not know (a newer replica in a rolling
 * upgrade got there first) are left alone; migrations only ever add.
 */
export async function applyMigrations(
  pool: Pool,
  schema: string,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  assertOrdered(component, migrations);
  const s = quoteIdent(schema);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`schema-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.schema_migrations WHERE component = $1`,
      [component],
    );
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(client, schema);
      await client.query(`INSERT INTO ${s}.schema_migrations (component, version, name) VALUES ($1, $2, $3)`, [
        component,
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
