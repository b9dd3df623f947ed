import { Pool } from 'pg';
import { createTestPool, dropSchema, uniqueSchema, waitFor } from '@study-buddy/testing';
import { createPostgresEventStore, EventStore, migratePostgresEventStore } from '../src';

/**
 * What the PostgreSQL store answers without a query once it listens (the known head, reads from it),
 * seen from two instances on one schema, as two replicas of a service see each other.
 */
describe('PostgreSQL store: reads from what is known', () => {
  let pool: Pool;
  let writerPool: Pool;
  let schema: string;
  let reader: EventStore;
  let writer: EventStore;
  let queries: string[];

  beforeEach(async () => {
    pool = createTestPool(6);
    schema = uniqueSchema('live');
    await migratePostgresEventStore(pool, schema);
    queries = [];
    const counted = new Proxy(pool, {
      get(target, key, receiver) {
        if (key !== 'query') return Reflect.get(target, key, receiver);
        return (config: unknown, values?: unknown) => {
          const text = typeof config === 'string' ? config : (config as { text: string }).text;
          queries.push(text);
          return target.query(config as string, values as unknown[]);
        };
      },
    });
    reader = createPostgresEventStore({ pool: counted, schema });
    writerPool = createTestPool(2);
    writer = createPostgresEventStore({ pool: writerPool, schema });
  });

  afterEach(async () => {
    await reader.close();
    await writer.close();
    await dropSchema(pool, schema);
    await Promise.all([pool.end(), writerPool.end()]);
  });

  const append = (n: number) =>
    writer.appendToStream(`s-${n}`, [{ type: 'Happened', data: { n } }], { expectedRevision: 'no_stream' });
  const listening = () => reader.waitForAppend(1_000_000n, 10);

  it('sees another instance’s appends as their notifications arrive, reading each new page once', async () => {
    const first = await append(1);
    await listening();
    expect(await reader.headPosition()).toBe(first.position);
    queries.length = 0;
    // caught up: neither the head nor an empty read costs a query
    expect(await reader.readAll({ after: first.position })).toEqual([]);
    expect(await reader.headPosition()).toBe(first.position);
    expect(queries).toEqual([]);

    const woken = reader.waitForAppend(first.position, 5000);
    const second = await append(2);
    await woken;
    await waitFor(async () => (await reader.headPosition()) === second.position, { what: 'the notification' });
    // several followers at one position share what one of them read
    const pages = await Promise.all([1, 2, 3].map(() => reader.readAll({ after: first.position })));
    for (const page of pages) expect(page.map((e) => e.data)).toEqual([{ n: 2 }]);
    expect(await reader.readAll({ after: 0n })).toHaveLength(2);
    expect(queries.filter((q) => q.includes('global_position >'))).toHaveLength(2);
  });

  it('shares one query between followers of different batch sizes, each getting at most its own', async () => {
    const first = await append(1);
    await listening();
    const woken = reader.waitForAppend(first.position, 5000);
    for (let n = 2; n <= 4; n++) await append(n);
    await woken;
    await waitFor(async () => (await reader.headPosition()) > first.position + 2n, { what: 'the notifications' });
    queries.length = 0;
    // a projector, the outbox relay and a worker, woken by the same appends (batches of 200, 100 and 2)
    const [projector, relay, worker] = await Promise.all(
      [200, 100, 2].map((maxCount) => reader.readAll({ after: first.position, maxCount })),
    );
    expect(projector.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect(relay).toEqual(projector);
    expect(worker.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
    // the worker's next page comes from what was read
    const rest = await reader.readAll({ after: worker[1].position, maxCount: 2 });
    expect(rest.map((e) => e.data)).toEqual([{ n: 4 }]);
    expect(queries.filter((q) => q.includes('global_position >'))).toHaveLength(1);
    // a reader of more than a shared page asks for its own
    expect(await reader.readAll({ after: 0n, maxCount: 1000 })).toHaveLength(4);
    expect(queries.filter((q) => q.includes('global_position >'))).toHaveLength(2);
  });

  it('queries again when its listening connection is lost, and does not miss what was appended meanwhile', async () => {
    await listening();
    const { rows: terminated } = await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
      [`LISTEN "events_${schema}"`],
    );
    expect(terminated).toEqual([{ pg_terminate_backend: true }]);
    // the notification of this append cannot reach the lost listener
    const appended = await append(1);
    await waitFor(async () => (await reader.readAll({ after: 0n })).length === 1, { what: 'the append' });
    expect(await reader.headPosition()).toBe(appended.position);
    // and it listens again on the next wait
    await listening();
    const woken = reader.waitForAppend(appended.position, 5000);
    const next = await append(2);
    await woken;
    expect((await reader.readAll({ after: appended.position })).map((e) => e.position)).toEqual([next.position]);
  });
});
