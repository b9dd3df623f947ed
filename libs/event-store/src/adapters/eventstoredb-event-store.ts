import {
  END,
  EventStoreDBClient,
  FORWARDS,
  BACKWARDS,
  START,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Position,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import {
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store';
import { createAppendSignal, waitForSignal } from './append-signal';

/**
 * EventStoreDB orders `$all` by (commit, prepare). Events of one append share a
 * commit position, so the pair is folded into one bigint (commit·2^64 + prepare):
 * unique, ordered like `$all`, and reversible for `fromPosition`.
 */
const SHIFT = 64n;
const MASK = (1n << SHIFT) - 1n;
export const encodePosition = (p: Position): bigint => (p.commit << SHIFT) | p.prepare;
export const decodePosition = (p: bigint): Position => ({ commit: p >> SHIFT, prepare: p & MASK });

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  return expected; // 'any' | 'no_stream' | 'stream_exists' | bigint: the client's own vocabulary
}

function toRecorded(
  e: AllStreamRecordedEvent | (Omit<AllStreamRecordedEvent, 'position'> & { position?: Position }),
): RecordedEvent {
  const data = e.isJson ? e.data : JSON.parse(Buffer.from(e.data as Uint8Array).toString('utf8'));
  return {
    id: e.id,
    type: e.type,
    data,
    metadata: (e.metadata ?? {}) as RecordedEvent['metadata'],
    streamName: e.streamId,
    revision: e.revision,
    position: e.position ? encodePosition(e.position) : 0n,
    createdAt: e.created instanceof Date ? e.created : new Date(Number(e.created) / 10_000 - 62_135_596_800_000),
  };
}

const isNotFound = (e: unknown) => e instanceof Error && (e as { type?: string }).type === 'stream-not-found';
const isWrongVersion = (e: unknown) => e instanceof Error && (e as { type?: string }).type === 'wrong-expected-version';

export interface EventStoreDbOptions {
  connectionString: string;
  /** Only streams with these prefixes are this service's; `$all` holds every service's events. */
  streamPrefixes?: string[];
}

/** EventStoreDB/KurrentDB adapter (production). Proven by the same contract suite, via testcontainers. */
export function createEventStoreDbEventStore({ connectionString, streamPrefixes }: EventStoreDbOptions): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const appended = createAppendSignal();
  let live: AllStreamSubscription | undefined;
  const owned = (streamName: string) => !streamPrefixes || streamPrefixes.some((p) => streamName.startsWith(p));

  function follow(): void {
    if (live) return;
    live = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    live.on('data', () => appended.emit('append'));
    live.on('error', () => {
      live = undefined; // resubscribed on the next wait; polling covers the gap
    });
  }

  const store: EventStore = {
    name: 'eventstoredb',
    async readStream(streamName: string, options: ReadStreamOptions = {}) {
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of client.readStream(streamName, {
          fromRevision: options.fromRevision ?? START,
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
          direction: FORWARDS,
        })) {
          if (resolved.event) events.push(toRecorded(resolved.event as AllStreamRecordedEvent));
        }
      } catch (e) {
        if (isNotFound(e)) return [];
        throw e;
      }
      return events;
    },

    async appendToStream(streamName: string, events: NewEvent[], { expectedRevision }) {
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      try {
        const result = await client.appendToStream(
          streamName,
          events.map((e) =>
            jsonEvent({
              id: e.id ?? randomUUID(),
              type: e.type,
              data: e.data as never,
              metadata: (e.metadata ?? {}) as never,
            }),
          ),
          { expectedRevision: toExpected(expectedRevision) },
        );
        return {
          nextExpectedRevision: result.nextExpectedRevision,
          position: result.position ? encodePosition(result.position) : 0n,
        };
      } catch (e) {
        if (isWrongVersion(e)) {
          const actual = (e as { actualVersion?: bigint | string }).actualVersion;
          throw new WrongExpectedRevisionError(
            streamName,
            expectedRevision,
            typeof actual === 'bigint' ? actual : 'no_stream',
          );
        }
        throw e;
      }
    },

    async readAll(options: ReadAllOptions = {}) {
      const after = options.after ?? 0n;
      const maxCount = options.maxCount ?? 1000;
      const events: RecordedEvent[] = [];
      // `$all` interleaves every service's events (and system events): keep reading until this
      // service's page is full or the log ends, or a page of foreign events would look like the head.
      // Reading from a position includes it, so what is not strictly after is dropped.
      for await (const resolved of client.readAll({
        fromPosition: after === 0n ? START : decodePosition(after),
        maxCount: Number.MAX_SAFE_INTEGER,
        direction: FORWARDS,
      })) {
        const e = resolved.event;
        if (!e || e.type.startsWith('$') || e.streamId.startsWith('$')) continue;
        const recorded = toRecorded(e);
        if (recorded.position <= after || !owned(recorded.streamName)) continue;
        events.push(recorded);
        if (events.length === maxCount) break;
      }
      return events;
    },

    async waitForAppend(after: bigint, timeoutMs: number) {
      follow();
      await waitForSignal(appended, timeoutMs, async () => (await store.headPosition()) > after);
    },

    async headPosition() {
      for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 50 })) {
        const e = resolved.event;
        if (e && !e.type.startsWith('$') && !e.streamId.startsWith('$') && owned(e.streamId))
          return encodePosition(e.position);
      }
      return 0n;
    },

    async close() {
      await live?.unsubscribe().catch(() => undefined);
      await client.dispose();
    },
  };
  return store;
}
