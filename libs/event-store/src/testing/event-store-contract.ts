import { randomUUID } from 'node:crypto';
import { EventStore, RecordedEvent, WrongExpectedRevisionError } from '../event-store';
import { subscribeToAll } from '../subscribe-all';

/** Every stream the contract writes through `store` starts with this: an adapter that filters by prefix owns it. */
export const CONTRACT_STREAM_PREFIX = 'contract-';
/** Streams the contract writes through `foreign`. */
export const FOREIGN_STREAM_PREFIX = 'foreign-';

export interface ContractHarness {
  store: EventStore;
  /**
   * Another service's store, sharing with `store` what production shares between
   * services: EventStoreDB's `$all` (prefix `foreign-`), PostgreSQL's database (another schema).
   */
  foreign: EventStore;
  teardown(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must have. Run once per adapter:
 * `describeEventStoreContract('postgres', async () => ({ store, teardown }))`.
 */
export function describeEventStoreContract(
  adapter: string,
  setup: () => Promise<ContractHarness>,
  describeFn: jest.Describe = describe,
): void {
  describeFn(`EventStore contract: ${adapter}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const stream = (kind = 'stream') => `${CONTRACT_STREAM_PREFIX}${kind}-${randomUUID()}`;
    const event = (n: number, extra: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      type: 'Counted',
      data: { n, text: `event ${n} ✓ "quoted"`, nested: { list: [1, 2, 3], flag: true }, ...extra },
      metadata: { correlationId: 'corr-1', userId: 'user-1' },
    });
    const conflict = (e: unknown) => WrongExpectedRevisionError.is(e);

    beforeAll(async () => {
      harness = await setup();
      store = harness.store;
    }, 120_000);
    afterAll(async () => harness && (await harness.teardown()), 60_000);

    it('reads back what it appended, in order, with revisions from 0', async () => {
      const name = stream();
      const written = [event(1), event(2), event(3)];
      const result = await store.appendToStream(name, written, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(2n);

      const read = await store.readStream(name);
      expect(read.map((e) => e.id)).toEqual(written.map((e) => e.id));
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect(read.map((e) => e.data)).toEqual(written.map((e) => e.data));
      expect(read[0].metadata).toMatchObject({ correlationId: 'corr-1', userId: 'user-1' });
      expect(read[0].type).toBe('Counted');
      expect(read[0].streamName).toBe(name);
      expect(read[0].createdAt).toBeInstanceOf(Date);
      expect(read[1].position).toBeGreaterThan(read[0].position);
      expect(result.position).toBe(read[2].position);
    });

    it('returns an empty list for a stream that does not exist', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('reads a stream from a revision with a max count', async () => {
      const name = stream();
      await store.appendToStream(name, [event(0), event(1), event(2), event(3)], { expectedRevision: 'no_stream' });
      const read = await store.readStream(name, { fromRevision: 1n, maxCount: 2 });
      expect(read.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    });

    it('appends at the expected revision and rejects a stale one', async () => {
      const name = stream();
      const first = await store.appendToStream(name, [event(1)], { expectedRevision: 'no_stream' });
      const second = await store.appendToStream(name, [event(2)], { expectedRevision: first.nextExpectedRevision });
      expect(second.nextExpectedRevision).toBe(1n);
      await expect(store.appendToStream(name, [event(3)], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(store.appendToStream(name, [event(3)], { expectedRevision: 5n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      // a revision expected of a stream that does not exist is not met either
      const missing = stream();
      const refused = await store.appendToStream(missing, [event(4)], { expectedRevision: 0n }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(conflict(refused)).toBe(true);
      expect(await store.readStream(missing)).toEqual([]);
      expect(await store.readStream(name)).toHaveLength(2);
    });

    it('creates a stream only once with no_stream, and stream_exists needs the stream', async () => {
      const name = stream();
      await expect(
        store.appendToStream(name, [event(1)], { expectedRevision: 'stream_exists' }),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.appendToStream(name, [event(1)], { expectedRevision: 'no_stream' });
      await expect(store.appendToStream(name, [event(2)], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await store.appendToStream(name, [event(3)], { expectedRevision: 'stream_exists' });
      await store.appendToStream(name, [event(4)], { expectedRevision: 'any' });
      expect((await store.readStream(name)).map((e) => (e.data as { n: number }).n)).toEqual([1, 3, 4]);
    });

    it('lets exactly one of N concurrent appenders win each revision', async () => {
      const name = stream();
      await store.appendToStream(name, [event(0)], { expectedRevision: 'no_stream' });
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.appendToStream(name, [event(100 + i)], { expectedRevision: 0n })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const failed of attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
        expect(conflict(failed.reason)).toBe(true);
      }
      expect(await store.readStream(name)).toHaveLength(2);
    });

    it('gives every one of N retrying appenders its own revision', async () => {
      const name = stream();
      const writers = 8;
      await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const mine = event(i);
          for (let tries = 0; tries < 100; tries++) {
            const current = await store.readStream(name);
            const expected = current.length === 0 ? 'no_stream' : current[current.length - 1].revision;
            try {
              await store.appendToStream(name, [mine], { expectedRevision: expected });
              return;
            } catch (e) {
              if (!conflict(e)) throw e;
            }
          }
          throw new Error(`writer ${i} never got a revision`);
        }),
      );
      const read = await store.readStream(name);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: writers }, (_, i) => BigInt(i)));
      expect(new Set(read.map((e) => (e.data as { n: number }).n)).size).toBe(writers);
    });

    it('does not duplicate an event re-appended with the same id', async () => {
      const name = stream();
      const e1 = event(1);
      const e2 = event(2);
      const first = await store.appendToStream(name, [e1, e2], { expectedRevision: 'no_stream' });
      const again = await store.appendToStream(name, [e1, e2], { expectedRevision: 'no_stream' });
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      await store.appendToStream(name, [e2], { expectedRevision: 'any' });
      expect((await store.readStream(name)).map((e) => e.id)).toEqual([e1.id, e2.id]);
    });

    it('delivers all events in global order and resumes from a checkpoint', async () => {
      const runId = randomUUID().slice(0, 8);
      const ours = (e: RecordedEvent) => e.streamName.includes(runId);
      const streams = [stream(`a${runId}`), stream(`b${runId}`), stream(`c${runId}`)];
      const appendedIds: string[] = [];
      for (let round = 0; round < 4; round++) {
        for (const name of streams) {
          const e = event(round);
          appendedIds.push(e.id);
          await store.appendToStream(name, [e], { expectedRevision: round === 0 ? 'no_stream' : BigInt(round - 1) });
        }
      }

      const collect = async (after: bigint | undefined, count: number) => {
        const seen: RecordedEvent[] = [];
        const subscription = subscribeToAll(store, { after, batchSize: 5, filter: ours, idleTimeoutMs: 100 });
        for await (const batch of subscription) {
          seen.push(...batch);
          if (seen.length >= count) subscription.stop();
        }
        return seen;
      };

      const firstHalf = await collect(undefined, 6);
      expect(firstHalf.map((e) => e.id)).toEqual(appendedIds.slice(0, firstHalf.length));
      const checkpoint = firstHalf[5].position;
      const rest = await collect(checkpoint, 6);
      expect(rest.map((e) => e.id)).toEqual(appendedIds.slice(6));
      const positions = [...firstHalf.slice(0, 6), ...rest].map((e) => e.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
    });

    it('wakes a live subscriber when an event is appended', async () => {
      const name = stream('live');
      const head = await store.headPosition();
      const subscription = subscribeToAll(store, {
        after: head,
        filter: (e) => e.streamName === name,
        idleTimeoutMs: 5000,
      });
      const received = (async () => {
        for await (const batch of subscription) {
          subscription.stop();
          return batch;
        }
        return [];
      })();
      const started = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      const e = event(42);
      await store.appendToStream(name, [e], { expectedRevision: 'no_stream' });
      const batch = await received;
      expect(batch.map((x) => x.id)).toEqual([e.id]);
      // Woken by the append, not by the 5 s idle poll.
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it("keeps to its own events among thousands of another service's: pages in order, exact head, wakes for its own appends only", async () => {
      const { foreign } = harness;
      const run = randomUUID().slice(0, 8);
      const burst = (round: number, count = 250) =>
        foreign.appendToStream(
          `${FOREIGN_STREAM_PREFIX}${run}-${round}`,
          Array.from({ length: count }, (_, i) => event(i)),
          { expectedRevision: 'any' },
        );
      const start = await store.headPosition();
      const own: string[] = [];
      let last = 0n;
      for (let round = 0; round < 10; round++) {
        await burst(round);
        const mine = event(round);
        own.push(mine.id);
        last = (await store.appendToStream(stream('own'), [mine], { expectedRevision: 'no_stream' })).position;
      }
      await burst(10, 500);

      const read: RecordedEvent[] = [];
      for (let after = start; ; ) {
        const page = await store.readAll({ after, maxCount: 4 });
        if (page.length === 0) break;
        read.push(...page);
        after = page[page.length - 1].position;
      }
      expect(read.map((e) => e.id)).toEqual(own);
      expect(await store.headPosition()).toBe(last);

      let woke = false;
      const started = Date.now();
      const waiting = store.waitForAppend(last, 3000).then(() => (woke = true));
      await new Promise((r) => setTimeout(r, 50));
      await burst(11, 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(woke).toBe(false);
      await store.appendToStream(stream('own'), [event(99)], { expectedRevision: 'no_stream' });
      await waiting;
      expect(Date.now() - started).toBeLessThan(2500);
    }, 30_000);

    it('reads back a 10,000-event stream intact', async () => {
      const name = stream('large');
      const total = 10_000;
      let expected: bigint | 'no_stream' = 'no_stream';
      for (let start = 0; start < total; start += 500) {
        const batch = Array.from({ length: 500 }, (_, i) => event(start + i, { payload: 'x'.repeat(64) }));
        const result = await store.appendToStream(name, batch, { expectedRevision: expected });
        expected = result.nextExpectedRevision;
      }
      const read = await store.readStream(name);
      expect(read).toHaveLength(total);
      read.forEach((e, i) => {
        expect(e.revision).toBe(BigInt(i));
        expect((e.data as { n: number }).n).toBe(i);
      });
      expect((read[total - 1].data as { payload: string }).payload).toHaveLength(64);
    }, 120_000);
  });
}
