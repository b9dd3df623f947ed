import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { createTestPool, dropSchema, uniqueSchema, waitFor } from '@study-buddy/testing';
import {
  createPostgresEventStore,
  createPostgresProjector,
  EventStore,
  migratePostgresEventStore,
  PostgresProjection,
  Projector,
} from '../src';
import { tickProjection } from './fixtures/tick-projection';

/** One table counting what it applied; `poison` throws on that event's `n`. */
function counting(name: string, poison?: number): PostgresProjection {
  const table = `${name}_seen`;
  return {
    name,
    version: 1,
    tables: [table],
    handles: ['Tick'],
    async setup(client, t) {
      await client.query(`CREATE TABLE ${t[table]} (event_id uuid PRIMARY KEY, n int NOT NULL)`);
    },
    async apply(client, event, t) {
      const { n } = event.data as { n: number };
      if (n === poison) throw new Error(`${name} cannot take ${n}`);
      await client.query(`INSERT INTO ${t[table]} (event_id, n) VALUES ($1, $2)`, [event.id, n]);
    },
  };
}

/** A service's live projectors that wake on the same append share one transaction. */
describe('live batches of the projectors of one store', () => {
  let pool: Pool;
  let schema: string;
  let store: EventStore;
  let statements: string[];
  let projectors: Projector[];
  const wrapped = new WeakSet<PoolClient>();

  beforeEach(async () => {
    pool = createTestPool(8);
    schema = uniqueSchema('batch');
    await migratePostgresEventStore(pool, schema);
    store = createPostgresEventStore({ pool, schema });
    statements = [];
    projectors = [];
  });
  afterEach(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await store.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  /** The pool the projectors use, recording what their transactions send. */
  const recorded = () =>
    new Proxy(pool, {
      get(target, key, receiver) {
        if (key !== 'connect') return Reflect.get(target, key, receiver);
        // pool.query connects with a callback: left as it is
        return async (...args: unknown[]) => {
          if (args.length > 0) return (target.connect as (...a: unknown[]) => unknown)(...args);
          const client = await target.connect();
          if (!wrapped.has(client)) {
            wrapped.add(client);
            const query = client.query.bind(client) as (...args: unknown[]) => unknown;
            (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
              const first = args[0];
              statements.push(typeof first === 'string' ? first : (first as { text: string }).text);
              return query(...args);
            };
          }
          return client;
        };
      },
    }) as Pool;

  const live = async (...projections: PostgresProjection[]) => {
    const through = recorded();
    for (const projection of projections) {
      const projector = createPostgresProjector({ pool: through, schema, store, projection, idleTimeoutMs: 5000 });
      await projector.setup();
      projectors.push(projector);
    }
    for (const projector of projectors) projector.start();
    // a first live batch each, so the next ones start from the build they saw
    const first = await tick(0);
    await Promise.all(projectors.map((p) => waitFor(() => p.position >= first, { what: `${p.name} live` })));
    statements.length = 0;
  };
  const tick = async (n: number) =>
    (
      await store.appendToStream(`tick-${randomUUID()}`, [{ type: 'Tick', data: { n } }], {
        expectedRevision: 'no_stream',
      })
    ).position;
  const seen = async (name: string) =>
    (await pool.query<{ n: number }>(`SELECT n FROM "${schema}"."${name}_seen_v1" ORDER BY n`)).rows.map((r) => r.n);

  it('applies one append for three projections in one transaction', async () => {
    await live(counting('a'), counting('b'), counting('c'));
    const position = await tick(1);
    for (const p of projectors) expect(await p.waitForPosition(position, 5000)).toBe(true);
    // the projectors' transactions (the append's own goes through the same pool)
    const batches = statements.filter((s) => s.startsWith('BEGIN') && s.includes('checkpoints'));
    expect(batches).toHaveLength(1);
    // every checkpoint locked, in name order (so other replicas' batches cannot deadlock with it)
    expect(batches[0].match(/name = '(\w)@v1'/g)).toEqual(["name = 'a@v1'", "name = 'b@v1'", "name = 'c@v1'"]);
    expect(statements.filter((s) => s.endsWith('COMMIT') && s.includes('checkpoints'))).toHaveLength(1);
    for (const name of ['a', 'b', 'c']) expect(await seen(name)).toEqual([0, 1]);
  });

  it('lets one projection’s bad event hold back only that projection', async () => {
    await live(counting('good'), counting('bad', 2));
    const position = await tick(2);
    const [good, bad] = projectors;
    expect(await good.waitForPosition(position, 5000)).toBe(true);
    expect(await seen('good')).toEqual([0, 2]);
    expect(bad.position).toBeLessThan(position);
    expect(await seen('bad')).toEqual([0]);
  });

  it('never applies an event twice when two projectors of one projection share the process', async () => {
    await live(tickProjection(), tickProjection());
    const positions = [await tick(1), await tick(2), await tick(3)];
    for (const p of projectors) expect(await p.waitForPosition(positions[2], 5000)).toBe(true);
    const { rows } = await pool.query<{ applied_count: number }>(`SELECT applied_count FROM "${schema}".ticks`);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.applied_count === 1)).toBe(true);
  });
});
