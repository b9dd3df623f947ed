import { randomUUID } from 'node:crypto';
import {
  createCatchUpLoop,
  createEventStoreDbEventStore,
  EventStore,
  EventStoreUnavailableError,
  eventStoreDbEventStore,
  RecordedEvent,
  subscribeToAll,
} from '../src';
import { scriptedEventStoreDb } from './fixtures/scripted-eventstoredb';

/**
 * The adapter's filtering, head and resubscription logic against a scripted
 * server behind the client's real subscription code. The same behaviour on a
 * real server: `npm run test:eventstoredb` (needs Docker or Podman).
 */
describe('EventStoreDB adapter over a scripted server', () => {
  const event = (n: number) => ({ id: randomUUID(), type: 'Counted', data: { n } });
  const stores: EventStore[] = [];
  const adapter = (server: ReturnType<typeof scriptedEventStoreDb>, silenceTimeoutMs?: number) => {
    const store = eventStoreDbEventStore(server.client, { streamPrefixes: ['own-'], silenceTimeoutMs });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  async function interleave(store: EventStore, foreign: EventStore, own: number, foreignPerOwn: number) {
    const ids: string[] = [];
    for (let i = 0; i < own; i++) {
      const mine = event(i);
      ids.push(mine.id);
      await store.appendToStream(`own-${i % 3}`, [mine], { expectedRevision: 'any' });
      await foreign.appendToStream(
        `other-${i}`,
        Array.from({ length: foreignPerOwn }, (_, j) => event(j)),
        { expectedRevision: 'any' },
      );
    }
    return ids;
  }

  it('pages own events in order with a server-side prefix filter, never receiving foreign ones', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    const ids = await interleave(store, foreign, 30, 100);

    const read: RecordedEvent[] = [];
    let after = 0n;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 7 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(7);
      read.push(...page);
      after = page[page.length - 1].position;
    }
    expect(read.map((e) => e.id)).toEqual(ids);
    expect(read.every((e, i) => i === 0 || e.position > read[i - 1].position)).toBe(true);
    // Only own events crossed the wire, and every read asked the server for this service's prefixes.
    expect(server.sent.length).toBeGreaterThanOrEqual(read.length);
    expect(server.sent.filter((s) => !s.startsWith('own-'))).toEqual([]);
    for (const s of server.subscriptions)
      expect(s.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['own-'] });
  });

  it('reads strictly after a position, folding commit and prepare positions of one append', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const batch = [event(1), event(2), event(3)];
    const { position } = await store.appendToStream('own-batch', batch, { expectedRevision: 'any' });
    const all = await store.readAll();
    expect(all.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    expect(all[2].position).toBe(position);
    expect((await store.readAll({ after: all[0].position })).map((e) => e.id)).toEqual([batch[1].id, batch[2].id]);
    expect(await store.readAll({ after: position })).toEqual([]);
  });

  it('knows the exact head whatever the other services write, and what another replica appended', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    expect(await store.headPosition()).toBe(0n);

    await interleave(store, foreign, 5, 200);
    const replica = adapter(server);
    const last = await replica.appendToStream('own-replica', [event(9)], { expectedRevision: 'any' });
    await foreign.appendToStream(
      'other-tail',
      Array.from({ length: 500 }, (_, i) => event(i)),
      {
        expectedRevision: 'any',
      },
    );
    expect(await store.headPosition()).toBe(last.position);

    // The next head read starts from what the last one scanned, not from the start of `$all`.
    const before = server.subscriptions.length;
    expect(await store.headPosition()).toBe(last.position);
    expect(server.subscriptions[before].fromPosition).not.toBe('start');
  });

  it('acts on caught-up and checkpoints only after the events buffered before them', async () => {
    const server = scriptedEventStoreDb();
    // The client emits caught-up and checkpoints as they arrive, while earlier events may still sit in the stream's buffer.
    const buffering = {
      ...server.client,
      subscribeToAll: (...args: Parameters<typeof server.client.subscribeToAll>) => {
        const subscription = server.client.subscribeToAll(...args);
        subscription.pause();
        setTimeout(() => subscription.resume(), 50);
        return subscription;
      },
    };
    const store = eventStoreDbEventStore(buffering, { streamPrefixes: ['own-'] });
    stores.push(store);
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    const ids = await interleave(adapter(server), foreign, 5, 40);

    expect((await store.readAll()).map((e) => e.id)).toEqual(ids);
    const fresh = eventStoreDbEventStore(buffering, { streamPrefixes: ['own-'] });
    stores.push(fresh);
    expect((await fresh.readAll({ maxCount: 2 })).map((e) => e.id)).toEqual(ids.slice(0, 2));
    // That short page saw checkpoints past events it never handed over: they must not hide those from the head.
    const all = await adapter(server).readAll();
    expect(await fresh.headPosition()).toBe(all[all.length - 1].position);
  });

  it("does not take a read's checkpoints for the head when the read started past what it knew", async () => {
    const server = scriptedEventStoreDb();
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    const { position } = await adapter(server).appendToStream('own-1', [event(1)], { expectedRevision: 'any' });
    await foreign.appendToStream(
      'other-1',
      Array.from({ length: 100 }, (_, i) => event(i)),
      { expectedRevision: 'any' },
    );

    const store = adapter(server);
    expect(await store.readAll({ after: position })).toEqual([]); // its checkpoints are past `position`
    expect(await store.headPosition()).toBe(position);
  });

  it("finds a first head among $all's last events without streaming the service's history", async () => {
    const server = scriptedEventStoreDb();
    const writer = adapter(server);
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    for (let start = 0; start < 2000; start += 500)
      await writer.appendToStream(
        `own-history-${start}`,
        Array.from({ length: 500 }, (_, i) => event(start + i)),
        { expectedRevision: 'any' },
      );
    const { position } = await writer.appendToStream('own-last', [event(0)], { expectedRevision: 'any' });
    await foreign.appendToStream(
      'other-1',
      Array.from({ length: 100 }, (_, i) => event(i)),
      { expectedRevision: 'any' },
    );

    const store = adapter(server);
    const sentBefore = server.sent.length;
    expect(await store.headPosition()).toBe(position);
    expect(server.sent.length - sentBefore).toBe(0); // the forward read started at the tail: nothing own after it
    expect(server.tailSent).toHaveLength(101); // up to and including the own event, and no further
  });

  it('wakes a waiter for an own append only', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const foreign = eventStoreDbEventStore(server.client, { streamPrefixes: ['other-'] });
    await store.appendToStream('own-a', [event(0)], { expectedRevision: 'any' });
    const head = await store.headPosition();

    let woke = false;
    const waiting = store.waitForAppend(head, 5000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 50));
    await foreign.appendToStream(
      'other-x',
      Array.from({ length: 300 }, (_, i) => event(i)),
      {
        expectedRevision: 'any',
      },
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(woke).toBe(false);

    const started = Date.now();
    await replicaAppend(server, 'own-b');
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  async function replicaAppend(server: ReturnType<typeof scriptedEventStoreDb>, stream: string) {
    // Another replica's append reaches this one only through the server's live subscription.
    const replica = adapter(server);
    return replica.appendToStream(stream, [event(1)], { expectedRevision: 'any' });
  }

  it('fails reads as unavailable while the server restarts, then resubscribes and misses nothing', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const seen: string[] = [];
    const written: string[] = [];
    const follower = subscribeToAll(store, { batchSize: 3, idleTimeoutMs: 2000 });
    const following = (async () => {
      for (;;) {
        try {
          for await (const batch of follower) seen.push(...batch.map((e) => e.id));
          return;
        } catch (e) {
          expect(EventStoreUnavailableError.is(e)).toBe(true);
          await new Promise((r) => setTimeout(r, 50)); // the caller's backoff (the catch-up loop's, in services)
        }
      }
    })();
    for (let n = 0; n < 4; n++) {
      const e = event(n);
      written.push(e.id);
      await adapter(server).appendToStream(`own-${n}`, [e], { expectedRevision: 'any' });
    }
    await until(() => seen.length === 4);

    server.stop();
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await new Promise((r) => setTimeout(r, 300));
    server.start();

    for (let n = 4; n < 8; n++) {
      const e = event(n);
      written.push(e.id);
      await adapter(server).appendToStream(`own-${n}`, [e], { expectedRevision: 'any' });
    }
    await until(() => seen.length >= 8);
    follower.stop();
    await following;
    expect(seen).toEqual(written);
  }, 15_000);

  it('lets a catch-up loop (projectors, outbox relays) back off through a restart and apply each event once', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    const applied: string[] = [];
    const written: string[] = [];
    const errors: unknown[] = [];
    let checkpoint = 0n; // moves only with what was applied, as a projector's does in its transaction
    const loop = createCatchUpLoop({
      store,
      idleTimeoutMs: 3000,
      onError: (e) => errors.push(e),
      step: async () => {
        const events = await store.readAll({ after: checkpoint, maxCount: 2 });
        for (const e of events) applied.push(e.id);
        if (events.length > 0) checkpoint = events[events.length - 1].position;
        return { read: events.length, position: checkpoint };
      },
    });
    const append = async (n: number) => {
      const e = event(n);
      written.push(e.id);
      await adapter(server).appendToStream(`own-${n}`, [e], { expectedRevision: 'any' });
    };
    loop.start();
    for (let n = 0; n < 3; n++) await append(n);
    await until(() => applied.length === 3);

    server.stop();
    await until(() => errors.length >= 2);
    server.start();
    for (let n = 3; n < 6; n++) await append(n);
    await until(() => applied.length >= 6);
    await loop.stop();
    expect(applied).toEqual(written);
    expect(errors.every((e) => EventStoreUnavailableError.is(e))).toBe(true);
  }, 15_000);

  it('follows own appends again once the server is back', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server);
    await store.waitForAppend(await store.headPosition(), 10); // opens the live subscription
    server.stop();
    await new Promise((r) => setTimeout(r, 100));
    server.start();
    await new Promise((r) => setTimeout(r, 800)); // the follower's backoff

    const head = await store.headPosition();
    const started = Date.now();
    const waiting = store.waitForAppend(head, 5000);
    await new Promise((r) => setTimeout(r, 50));
    await replicaAppend(server, 'own-after-restart');
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails a read the server never answers instead of hanging', async () => {
    const server = scriptedEventStoreDb();
    const store = adapter(server, 200);
    server.silence();
    const failed = store.readAll();
    await expect(failed).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(failed).rejects.toThrow(/sent nothing for 200 ms/);
  });

  async function until(condition: () => boolean, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
});

describe('EventStoreDB adapter with the real client and no server', () => {
  it('rejects a malformed connection string without repeating it (it holds the password)', () => {
    let message = '';
    try {
      createEventStoreDbEventStore({ connectionString: 'esdb://admin:s3cret-pw@host:2113?tls=maybe' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/connection string is invalid/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('fails as unavailable, soon, while nothing listens (a server still starting)', async () => {
    const store = createEventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });
    const started = Date.now();
    try {
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(
        store.appendToStream('s-1', [{ type: 'T', data: {} }], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('s-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
