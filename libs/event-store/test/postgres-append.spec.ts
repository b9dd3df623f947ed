import { randomUUID } from 'node:crypto';
import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import {
  createPostgresEventStore,
  DuplicateEventIdError,
  EventStore,
  migratePostgresEventStore,
  WrongExpectedRevisionError,
} from '../src';

// What the shared contract leaves to each adapter: how the PostgreSQL append (one function call) tells a
// retry from a reused id, and that a refused append writes nothing.
describe('PostgreSQL append', () => {
  const pool = createTestPool(10);
  const schema = uniqueSchema('es_append');
  let store: EventStore;
  const event = (n: number, id: string = randomUUID()) => ({ id, type: 'Counted', data: { n }, metadata: {} });
  const stream = () => `append-${randomUUID()}`;
  const count = async () =>
    Number((await pool.query(`SELECT count(*) FROM "${schema}".events`)).rows[0].count as string);

  beforeAll(async () => {
    await migratePostgresEventStore(pool, schema);
    store = createPostgresEventStore({ pool, schema });
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('answers a retried append with its first result, whatever revision the retry expected', async () => {
    const name = stream();
    const batch = [event(1), event(2)];
    const first = await store.appendToStream(name, batch, { expectedRevision: 'no_stream' });
    await store.appendToStream(name, [event(3)], { expectedRevision: 1n });
    await expect(store.appendToStream(name, batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
    expect((await store.readStream(name)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('refuses an id stored in another stream, or a batch found only in part, and writes nothing', async () => {
    const [a, b] = [stream(), stream()];
    const stored = event(1);
    await store.appendToStream(a, [stored], { expectedRevision: 'no_stream' });
    const before = await count();
    await expect(store.appendToStream(b, [event(1, stored.id)], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    await expect(store.appendToStream(a, [stored, event(2)], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    expect(await count()).toBe(before);
    expect(await store.readStream(b)).toEqual([]);
  });

  it('reports the actual revision of a refused append and writes nothing', async () => {
    const name = stream();
    await store.appendToStream(name, [event(1), event(2)], { expectedRevision: 'no_stream' });
    const before = await count();
    const refused = await store.appendToStream(name, [event(3)], { expectedRevision: 0n }).catch((e: unknown) => e);
    expect(WrongExpectedRevisionError.is(refused)).toBe(true);
    expect((refused as WrongExpectedRevisionError).actual).toBe(1n);
    expect(await count()).toBe(before);
  });

  it('stores data the JSON way: text with quotes, backslashes and non-ASCII, numbers, nesting', async () => {
    const name = stream();
    const data = { text: 'a "quoted" \\ back\\slash, ✓ and 𝄞', n: 1.5, list: [{ deep: [null, true] }] };
    const metadata = { correlationId: 'c-1', userId: 'u-1' };
    await store.appendToStream(name, [{ id: randomUUID(), type: 'Typed', data, metadata }], {
      expectedRevision: 'no_stream',
    });
    const [read] = await store.readStream(name);
    expect(read).toMatchObject({ type: 'Typed', data, metadata, revision: 0n });
  });
});
