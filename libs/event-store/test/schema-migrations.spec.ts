import { Pool } from 'pg';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import { applyMigrations, checkpointMigrations, migrateCheckpoints, Migration } from '../src';

describe('schema migrations', () => {
  let pool: Pool;
  const schemas: string[] = [];
  const fresh = () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    return schema;
  };

  beforeAll(() => (pool = createTestPool(20)));
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(pool, schema);
    await pool.end();
  });

  /** Each step appends its version to a log table, slowly, so racing runners would interleave visibly. */
  const logged = (schema: string): Migration[] =>
    [1, 2, 3].map((version) => ({
      version,
      name: `step ${version}`,
      async up(client) {
        if (version === 1) await client.query(`CREATE TABLE "${schema}".log (version int NOT NULL, at serial)`);
        await client.query('SELECT pg_sleep(0.05)');
        await client.query(`INSERT INTO "${schema}".log (version) VALUES ($1)`, [version]);
      },
    }));

  it('applies each migration once, in order, when many replicas start together', async () => {
    const schema = fresh();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => applyMigrations(pool, schema, 'log', logged(schema))),
    );
    expect(runs.flat()).toEqual([1, 2, 3]); // one runner did the work, the others found nothing to do
    const { rows } = await pool.query(`SELECT version FROM "${schema}".log ORDER BY at`);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    const recorded = await pool.query(
      `SELECT component, version, name FROM "${schema}".schema_migrations ORDER BY version`,
    );
    expect(recorded.rows).toEqual([
      { component: 'log', version: 1, name: 'step 1' },
      { component: 'log', version: 2, name: 'step 2' },
      { component: 'log', version: 3, name: 'step 3' },
    ]);
  });

  it('applies only the new steps when the code gains a migration', async () => {
    const schema = fresh();
    await applyMigrations(pool, schema, 'log', logged(schema).slice(0, 2));
    expect(await applyMigrations(pool, schema, 'log', logged(schema))).toEqual([3]);
    expect(await applyMigrations(pool, schema, 'log', logged(schema))).toEqual([]);
  });

  it('adopts tables an earlier release created without migrations', async () => {
    const schema = fresh();
    // The DDL as it was before migrations existed, with a row the service relies on.
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE "${schema}".checkpoints (
      name text PRIMARY KEY, position numeric(40, 0) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`INSERT INTO "${schema}".checkpoints (name, position) VALUES ('outbox-relay', 42)`);
    await migrateCheckpoints(pool, schema);
    expect((await pool.query(`SELECT name, position FROM "${schema}".checkpoints`)).rows).toEqual([
      { name: 'outbox-relay', position: '42' },
    ]);
    expect(await applyMigrations(pool, schema, 'checkpoints', checkpointMigrations)).toEqual([]);
  });

  it('rolls a failing migration back whole and refuses misnumbered lists', async () => {
    const schema = fresh();
    const failing: Migration[] = [
      ...logged(schema).slice(0, 1),
      { version: 2, name: 'broken', up: (client) => client.query('SELECT * FROM no_such_table').then(() => undefined) },
    ];
    await expect(applyMigrations(pool, schema, 'log', failing)).rejects.toThrow(/no_such_table/);
    expect((await pool.query(`SELECT to_regclass($1) AS t`, [`"${schema}".log`])).rows[0].t).toBeNull();
    await expect(applyMigrations(pool, schema, 'log', [logged(schema)[1]])).rejects.toThrow(/numbered 1, 2, 3/);
  });
});
