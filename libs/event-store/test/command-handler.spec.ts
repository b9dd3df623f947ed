import {
  createMemoryEventStore,
  Decider,
  deterministicId,
  EventStore,
  handleCommand,
  loadState,
  WrongExpectedRevisionError,
} from '../src';

type Event = { type: 'Incremented'; data: { by: number } };
type Command = { type: 'Increment'; by: number; max: number };
const counter: Decider<Command, Event, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.by }),
  decide: (c, s) => (s.total + c.by > c.max ? [] : [{ type: 'Incremented', data: { by: c.by } }]),
};

describe('handleCommand', () => {
  let store: EventStore;
  beforeEach(() => (store = createMemoryEventStore()));

  it('re-decides on a concurrent write from another process instead of overwriting it', async () => {
    // Each copy stands for another process's view of the same store.
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        handleCommand({ ...store }, 'counter-1', counter, { type: 'Increment', by: 1, max: 3 }),
      ),
    );
    expect(results.filter((r) => r.newEvents.length > 0)).toHaveLength(3);
    expect((await store.readStream('counter-1')).length).toBe(3);
  });

  it('decides on the state the caller already read, and reads again when it is stale', async () => {
    let reads = 0;
    const counting: EventStore = { ...store, readStream: (...args) => (reads++, store.readStream(...args)) };
    const known = await loadState(counting, 'counter-2', counter);
    const increment = { type: 'Increment', by: 2, max: 3 } as const;
    await handleCommand(counting, 'counter-2', counter, increment, { known });
    expect(reads).toBe(1); // only the caller's own read
    // `known` is now stale (the stream moved on): the expected revision fails and the retry reads
    const result = await handleCommand(counting, 'counter-2', counter, increment, { known });
    expect(result.newEvents).toEqual([]); // 2 + 2 > 3, decided on the fresh state
    expect(reads).toBe(2);
    expect(await store.readStream('counter-2')).toHaveLength(1);
  });

  it('runs one process’s commands on a stream one at a time, without conflicts', async () => {
    let appends = 0;
    const counting: EventStore = { ...store, appendToStream: (...args) => (appends++, store.appendToStream(...args)) };
    await Promise.all(
      Array.from({ length: 20 }, () => handleCommand(counting, 'hot', counter, { type: 'Increment', by: 1, max: 100 })),
    );
    expect(appends).toBe(20);
    expect(await store.readStream('hot')).toHaveLength(20);
  });

  it('validates new events against their schema before storing them, and records the schema version', async () => {
    const schemas = {
      Incremented: {
        type: 'Incremented',
        version: 3,
        schema: {
          parse: (d: unknown) => {
            if (typeof (d as { by: unknown }).by !== 'number') throw new Error('by must be a number');
            return d;
          },
        },
      },
    };
    const broken: Decider<Command, Event, { total: number }> = {
      ...counter,
      decide: () => [{ type: 'Incremented', data: { by: 'one' as unknown as number } }],
    };
    await expect(
      handleCommand(store, 'c-3', broken, { type: 'Increment', by: 1, max: 9 }, { schemas }),
    ).rejects.toThrow('by must be a number');
    expect(await store.readStream('c-3')).toEqual([]);
    await handleCommand(store, 'c-3', counter, { type: 'Increment', by: 1, max: 9 }, { schemas });
    expect((await store.readStream('c-3'))[0].metadata.schemaVersion).toBe(3);
  });

  it('gives up after the bounded number of attempts', async () => {
    const racing: EventStore = {
      ...store,
      appendToStream: async (name) => {
        throw new WrongExpectedRevisionError(name, 'no_stream', 0n);
      },
    };
    await expect(
      handleCommand(racing, 'c', counter, { type: 'Increment', by: 1, max: 5 }, { maxAttempts: 3 }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('is idempotent with an idempotency key', async () => {
    const always: Decider<Command, Event, { total: number }> = {
      ...counter,
      decide: (c) => [{ type: 'Incremented', data: { by: c.by } }],
    };
    await handleCommand(store, 'c-2', always, { type: 'Increment', by: 2, max: 9 }, { idempotencyKey: 'msg-1' });
    // the same message again, even though the decider would emit again
    await handleCommand(store, 'c-2', always, { type: 'Increment', by: 2, max: 9 }, { idempotencyKey: 'msg-1' }).catch(
      () => undefined,
    );
    const events = await store.readStream('c-2');
    expect(events).toHaveLength(1);
    expect(events[0].id).toBe(deterministicId('msg-1/c-2/0'));
    expect(events[0].metadata.schemaVersion).toBe(1);
  });
});

describe('deterministicId', () => {
  it('is a stable v5 uuid', () => {
    expect(deterministicId('a')).toBe(deterministicId('a'));
    expect(deterministicId('a')).not.toBe(deterministicId('b'));
    expect(deterministicId('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
