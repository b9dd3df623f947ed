import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  assertExpectedRevision,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { createAppendSignal, waitForSignal } from './append-signal';
import { findIdempotentAppend } from './idempotency';

/** In-process store for unit tests. Same semantics as the others, proven by the contract suite. */
export function createMemoryEventStore(): EventStore {
  const all: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byId = new Map<string, RecordedEvent>();
  const appended = createAppendSignal();

  // JSON round trip: callers must not be able to mutate stored events, and stored data is what JSON can hold.
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  return {
    name: 'memory',
    async readStream(streamName: string, options: ReadStreamOptions = {}) {
      const events = streams.get(streamName) ?? [];
      const from = options.fromRevision ?? 0n;
      return events.filter((e) => e.revision >= from).slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
    },

    async appendToStream(
      streamName: string,
      events: NewEvent[],
      { expectedRevision }: { expectedRevision: ExpectedRevision },
    ): Promise<AppendResult> {
      if (events.length === 0) throw new Error('appendToStream needs at least one event');
      const existing = streams.get(streamName);
      const repeat = findIdempotentAppend(streamName, events, (id) => byId.get(id));
      if (repeat) return repeat;
      const current = existing && existing.length > 0 ? existing[existing.length - 1].revision : 'no_stream';
      assertExpectedRevision(streamName, expectedRevision, current);
      const stream = existing ?? [];
      let revision = current === 'no_stream' ? -1n : current;
      for (const event of events) {
        revision += 1n;
        const recorded: RecordedEvent = {
          id: event.id ?? randomUUID(),
          type: event.type,
          data: copy(event.data),
          metadata: copy(event.metadata ?? {}),
          streamName,
          revision,
          position: BigInt(all.length + 1),
          createdAt: new Date(),
        };
        stream.push(recorded);
        all.push(recorded);
        byId.set(recorded.id, recorded);
      }
      streams.set(streamName, stream);
      appended.emit('append');
      return { nextExpectedRevision: revision, position: BigInt(all.length) };
    },

    async readAll(options: ReadAllOptions = {}) {
      const after = Number(options.after ?? 0n);
      return all.slice(after, after + (options.maxCount ?? 1000));
    },

    waitForAppend(after: bigint, timeoutMs: number) {
      return waitForSignal(appended, timeoutMs, async () => BigInt(all.length) > after);
    },

    async headPosition() {
      return BigInt(all.length);
    },

    async close() {
      appended.removeAllListeners();
    },
  };
}
