import { createTestPool, dropSchema, uniqueSchema } from '@study-buddy/testing';
import {
  createMemoryEventStore,
  createMemorySnapshotStore,
  createPostgresSnapshotStore,
  Decider,
  EventStore,
  handleCommand,
  SnapshotStore,
} from '../src';

type Event = { type: 'Incremented'; data: { by: number } };
type Command = { type: 'Increment'; by: number };
const counter: Decider<Command, Event, { total: number; count: number }> = {
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.by, count: s.count + 1 }),
  decide: (c) => [{ type: 'Incremented', data: { by: c.by } }],
};

describe('handleCommand with snapshots', () => {
  let store: EventStore;
  let reads: { fromRevision?: bigint }[];
  beforeEach(() => {
    const inner = createMemoryEventStore();
    reads = [];
    store = {
      ...inner,
      readStream: (name, options) => (reads.push(options ?? {}), inner.readStream(name, options)),
    };
  });

  const run = (snapshots: SnapshotStore, by = 1) =>
    handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Increment', by },
      { snapshots: { store: snapshots, version: 'v1', every: 10 } },
    );

  it('reads only the events after the latest snapshot, and folds to the same state', async () => {
    const snapshots = createMemorySnapshotStore();
    for (let i = 0; i < 25; i++) await run(snapshots);
    expect(await snapshots.load('counter-1', 'v1')).toMatchObject({ revision: 19n, state: { count: 20 } });
    reads = [];
    // a process that has not commanded this stream yet (another replica, a restart): from the stored snapshot
    const elsewhere: SnapshotStore = { load: snapshots.load, save: snapshots.save };
    const result = await run(elsewhere, 5);
    expect(reads).toEqual([{ fromRevision: 20n }]);
    expect(result.state).toEqual({ total: 30, count: 26 });
    expect(result.revision).toBe(25n);
    const full = (await store.readStream('counter-1')).reduce(
      (s, e) => counter.evolve(s, e as unknown as Event),
      counter.initialState(),
    );
    expect(full).toEqual(result.state);
  });

  it('starts from the latest state this process saw, and still reads what others appended since', async () => {
    const snapshots = createMemorySnapshotStore();
    for (let i = 0; i < 3; i++) await run(snapshots);
    reads = [];
    await run(snapshots);
    expect(reads).toEqual([{ fromRevision: 3n }]); // no snapshot taken yet: only the events after the latest state
    // another replica appends
    await store.appendToStream('counter-1', [{ type: 'Incremented', data: { by: 100 } }], { expectedRevision: 3n });
    const result = await run(snapshots);
    expect(result.state).toEqual({ total: 105, count: 6 });
    expect(result.revision).toBe(5n);
  });

  it('remembers no state from an append answered as a retry of an earlier one', async () => {
    const snapshots = createMemorySnapshotStore();
    const once = () =>
      handleCommand(
        store,
        'counter-1',
        counter,
        { type: 'Increment', by: 1 },
        { idempotencyKey: 'delivery-1', snapshots: { store: snapshots, version: 'v1', every: 10 } },
      );
    await once();
    await once(); // a redelivery: the same event ids, stored once
    expect((await run(snapshots)).state).toEqual({ total: 2, count: 2 });
  });

  it('reads the stream whole again after a conflict with the state it remembered', async () => {
    const snapshots = createMemorySnapshotStore();
    for (let i = 0; i < 3; i++) await run(snapshots);
    // the stream is not what this process saw (a database restored from a backup): a new store, one event
    const inner = createMemoryEventStore();
    await inner.appendToStream('counter-1', [{ type: 'Incremented', data: { by: 7 } }], {
      expectedRevision: 'no_stream',
    });
    store = inner;
    expect((await run(snapshots)).state).toEqual({ total: 8, count: 2 });
  });

  it('ignores snapshots of another state version', async () => {
    const snapshots = createMemorySnapshotStore();
    for (let i = 0; i < 10; i++) await run(snapshots);
    const other = await handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Increment', by: 1 },
      {
        snapshots: { store: snapshots, version: 'v2', every: 1000 },
      },
    );
    expect(other.state.count).toBe(11);
    expect(reads[reads.length - 1]).toEqual({});
  });

  describe('in PostgreSQL', () => {
    const pool = createTestPool(2);
    const schema = uniqueSchema('snapshots');
    afterAll(async () => {
      await dropSchema(pool, schema);
      await pool.end();
    });

    it('keeps the newest snapshot per stream and version', async () => {
      const snapshots = createPostgresSnapshotStore({ pool, schema });
      await snapshots.save('s-1', 'v1', { revision: 5n, position: 50n, state: { a: 1 } });
      await snapshots.save('s-1', 'v1', { revision: 3n, position: 30n, state: { a: 0 } });
      await expect(snapshots.load('s-1', 'v1')).resolves.toEqual({ revision: 5n, position: 50n, state: { a: 1 } });
      await expect(snapshots.load('s-1', 'v2')).resolves.toBeNull();
      for (let i = 0; i < 12; i++) await run(snapshots);
      expect(await snapshots.load('counter-1', 'v1')).toMatchObject({ revision: 9n, state: { count: 10 } });
    });
  });
});
