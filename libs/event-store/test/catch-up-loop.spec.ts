import { createCatchUpLoop, createMemoryEventStore, EventStore, LeaderLock } from '../src';

/** A step that reads the store after its own position, as projectors and relays do with their checkpoints. */
function following(store: EventStore) {
  const seen: string[] = [];
  let position = 0n;
  return {
    seen,
    async step() {
      const events = await store.readAll({ after: position, maxCount: 10 });
      for (const event of events) seen.push(event.type);
      if (events.length > 0) position = events[events.length - 1].position;
      return { read: events.length, position };
    },
  };
}

const until = async (condition: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('the catch-up loop', () => {
  it('catches up, then picks up new appends while idle', async () => {
    const store = createMemoryEventStore();
    await store.appendToStream('s-1', [{ type: 'First', data: {} }], { expectedRevision: 'no_stream' });
    const follower = following(store);
    // a long idle timeout: only the append notification can bring the second event in time
    const loop = createCatchUpLoop({ store, step: follower.step, idleTimeoutMs: 60_000 });
    loop.start();
    await until(() => follower.seen.length === 1);
    await store.appendToStream('s-1', [{ type: 'Second', data: {} }], { expectedRevision: 0n });
    await until(() => follower.seen.length === 2);
    await loop.stop();
    expect(follower.seen).toEqual(['First', 'Second']);
    expect(loop.running).toBe(false);
  });

  it('stops at once from an idle wait and from a back-off', async () => {
    const store = createMemoryEventStore();
    const idle = createCatchUpLoop({ store, step: following(store).step, idleTimeoutMs: 60_000 });
    idle.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    let started = Date.now();
    await idle.stop();
    expect(Date.now() - started).toBeLessThan(500);

    const errors: unknown[] = [];
    const failing = createCatchUpLoop({
      store,
      step: () => Promise.reject(new Error('database down')),
      idleTimeoutMs: 1000,
      onError: (e) => errors.push(e),
    });
    failing.start();
    await until(() => errors.length >= 4); // backs off 200, 400, 800 ms… between attempts
    started = Date.now();
    await failing.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(errors.length).toBeLessThan(8);
  });

  it('runs batches only while it holds the leader lock (and says so), and releases it when stopped', async () => {
    const store = createMemoryEventStore();
    await store.appendToStream('s-1', [{ type: 'First', data: {} }], { expectedRevision: 'no_stream' });
    let leading = false;
    let released = 0;
    const leader: LeaderLock = { acquire: async () => leading, release: async () => void (released += 1), term: 1 };
    const follower = following(store);
    const loop = createCatchUpLoop({ store, step: follower.step, idleTimeoutMs: 1000, leader, leaderRetryMs: 20 });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(follower.seen).toEqual([]);
    expect(loop.leading).toBe(false);
    leading = true;
    await until(() => follower.seen.length === 1);
    expect(loop.leading).toBe(true);
    await loop.stop();
    expect(released).toBe(1);
    expect(loop.leading).toBe(false);
  });

  it('runs onStop once it stopped, before the leader lock is released, and reports its failure', async () => {
    const store = createMemoryEventStore();
    const order: string[] = [];
    const errors: unknown[] = [];
    const leader: LeaderLock = { acquire: async () => true, release: async () => void order.push('release'), term: 1 };
    const loop = createCatchUpLoop({
      store,
      step: async () => ({ read: 0, position: 0n }),
      idleTimeoutMs: 1000,
      leader,
      onStop: async () => {
        order.push('onStop');
        throw new Error('save failed');
      },
      onError: (e) => errors.push(e),
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    expect(order).toEqual(['onStop', 'release']);
    expect(errors).toEqual([new Error('save failed')]);

    // a replica that does not lead when it stops has nothing of its own to save
    const follower = createCatchUpLoop({
      store,
      step: async () => ({ read: 0, position: 0n }),
      idleTimeoutMs: 1000,
      leader: { ...leader, acquire: async () => false },
      leaderRetryMs: 10,
      onStop: async () => void order.push('follower onStop'),
    });
    follower.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await follower.stop();
    expect(order).toEqual(['onStop', 'release', 'release']);
  });
});
