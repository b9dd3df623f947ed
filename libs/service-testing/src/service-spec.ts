import {
  CurrentSchemas,
  createMemoryEventStore,
  EventStore,
  NewEvent,
  UpcasterRegistry,
  upcastingEventStore,
} from '@study-buddy/event-store';

/** An event as a spec states it: where it was stored, its type and data. */
export interface StoredEvent {
  stream: string;
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

export interface Outcome<T> {
  /** What the action returned (undefined when it threw). */
  readonly result: T | undefined;
  readonly error: unknown;
  /** Events appended while the action ran, in store order. */
  readonly appended: StoredEvent[];
  /** The action succeeded with this result (matched with toEqual, so `expect.objectContaining` works). */
  thenReplies(expected: unknown): Outcome<T>;
  /** Exactly these events were appended, in this order. */
  thenAppends(expected: Array<Omit<StoredEvent, 'metadata'> & { metadata?: unknown }>): Outcome<T>;
  thenAppendsNothing(): Outcome<T>;
  /** The action threw an error matching this (e.g. `{ code: 'insufficient_credits' }`) and stored nothing. */
  thenFails(expected: Record<string, unknown>): Outcome<T>;
}

/**
 * Given/when/then for a service's application logic on the in-memory event
 * store (Emmett's api.int.spec style, without NATS or PostgreSQL):
 *
 *   await spec.given([{ stream: 'account-u1', type: 'AccountOpened', data }]);
 *   (await spec.when(() => ledger.reserve('u1', 'v1', {}))).thenFails({ code: 'insufficient_credits' });
 */
export function serviceSpec(
  options: {
    /** The service's current event schemas: `given` stores each event at its current version by default. */
    schemas?: CurrentSchemas;
    /** Read through the service's upcasters, as production does (see platformConfig's `upcasters`). */
    upcasters?: UpcasterRegistry;
  } = {},
) {
  const raw = createMemoryEventStore();
  const store = options.upcasters ? upcastingEventStore(raw, options.upcasters) : raw;
  const versionOf = (type: string) => options.schemas?.[type]?.version ?? 1;
  return {
    store,
    /**
     * Stores events as if earlier commands had written them, at the current version of their schema
     * unless `metadata.schemaVersion` says otherwise (an event an older release wrote).
     */
    given: (events: StoredEvent[]) => storeEvents(store, events, versionOf),
    async when<T>(action: () => Promise<T>): Promise<Outcome<T>> {
      const before = await store.headPosition();
      let result: T | undefined;
      let error: unknown;
      try {
        result = await action();
      } catch (e) {
        error = e;
      }
      const appended = (await readAfter(store, before)).map((e) => ({
        stream: e.streamName,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      }));
      const outcome: Outcome<T> = {
        result,
        error,
        appended,
        thenReplies(expected) {
          if (error) throw error;
          expect(result).toEqual(expected);
          return outcome;
        },
        thenAppends(expected) {
          if (error) throw error;
          const shape = (e: StoredEvent) => ({ stream: e.stream, type: e.type, data: e.data });
          const withMetadata = expected.some((e) => e.metadata !== undefined);
          expect(withMetadata ? appended : appended.map(shape)).toEqual(expected);
          return outcome;
        },
        thenAppendsNothing() {
          if (error) throw error;
          expect(appended).toEqual([]);
          return outcome;
        },
        thenFails(expectedError) {
          expect(error).toMatchObject(expectedError);
          expect(appended).toEqual([]);
          return outcome;
        },
      };
      return outcome;
    },
  };
}

/** Appends events one by one at the end of their streams, as earlier commands would have (`schemaVersion` from `versionOf`). */
export async function storeEvents(
  store: EventStore,
  events: StoredEvent[],
  versionOf: (type: string) => number = () => 1,
): Promise<void> {
  for (const event of events) {
    const existing = await store.readStream(event.stream);
    const last = existing[existing.length - 1];
    const newEvent: NewEvent = {
      type: event.type,
      data: event.data,
      metadata: { schemaVersion: versionOf(event.type), ...event.metadata },
    };
    await store.appendToStream(event.stream, [newEvent], { expectedRevision: last ? last.revision : 'no_stream' });
  }
}

async function readAfter(store: EventStore, after: bigint) {
  const events = [];
  for (let position = after; ; ) {
    const page = await store.readAll({ after: position, maxCount: 500 });
    if (page.length === 0) return events;
    events.push(...page);
    position = page[page.length - 1].position;
  }
}
