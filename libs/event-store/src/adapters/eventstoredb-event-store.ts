import {
  EventStoreDBClient,
  FORWARDS,
  START,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import {
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store';
import { createAppendSignal, waitForSignal } from './append-signal';
import {
  AllSubscriber,
  decodePosition,
  drained,
  encodePosition,
  OwnHead,
  ownedBy,
  ownStreamsFilter,
  probeTail,
  scanOwnEvents,
  TailReader,
} from './eventstoredb-scan';

export { decodePosition, encodePosition } from './eventstoredb-scan';

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  return expected; // 'any' | 'no_stream' | 'stream_exists' | bigint: the client's own vocabulary
}

function toRecorded(
  e:
    | AllStreamRecordedEvent
    | (Omit<AllStreamRecordedEvent, 'position'> & { position?: AllStreamRecordedEvent['position'] }),
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

const errorType = (e: unknown) => (e instanceof Error ? (e as { type?: string }).type : undefined);
const isNotFound = (e: unknown) => errorType(e) === 'stream-not-found';
const isWrongVersion = (e: unknown) => errorType(e) === 'wrong-expected-version';
/** The server is restarting, electing a leader or out of reach: worth retrying later, not a bug. */
const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'timeout']);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED, as unary calls (appends) report them unconverted. */
const TRANSIENT_GRPC = new Set([14, 4]);
const unavailable = (e: unknown) =>
  TRANSIENT.has(errorType(e) ?? '') ||
  TRANSIENT_GRPC.has((e as { code?: unknown })?.code as number) ||
  /^Failed to discover/.test((e as Error)?.message ?? '')
    ? new EventStoreUnavailableError('EventStoreDB', e)
    : e;

export interface EventStoreDbOptions {
  /** `esdb://` or `esdb+discover://`; TLS, keep-alive and deadlines are its query parameters (README, Configuration). */
  connectionString: string;
  /** Only streams with these prefixes are this service's; `$all` holds every service's events. */
  streamPrefixes?: string[];
  /** A read of `$all` fails when the server sends nothing for this long (default 10 s). */
  silenceTimeoutMs?: number;
}

/** EventStoreDB/KurrentDB adapter (production). Proven by the same contract suite, via testcontainers. */
export function createEventStoreDbEventStore(options: EventStoreDbOptions): EventStore {
  return eventStoreDbEventStore(parseConnectionString(options.connectionString), options);
}

/** The client's parse error quotes the whole string, credentials included: say where it is wrong instead. */
function parseConnectionString(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (e) {
    const { location, expected } = e as { location?: [number, number]; expected?: string };
    throw new Error(
      `The EventStoreDB connection string is invalid${location ? ` at character ${location[0]}` : ''}` +
        (expected ? `: expected ${expected}` : ''),
    );
  }
}

type EsdbClient = AllSubscriber & TailReader & Pick<EventStoreDBClient, 'readStream' | 'appendToStream' | 'dispose'>;

/** How many of `$all`'s last events a process reads first, looking for its own last one. */
const TAIL_WINDOW = 256;

/**
 * The adapter over a client. Every read of `$all` is a filtered catch-up
 * subscription, so only this service's events leave the server. The head is
 * exact: a filtered read from what this process already knows (`OwnHead`) to
 * the end; the first one starts from the last own event among `$all`'s last
 * TAIL_WINDOW events when there is one, else from the start. One live
 * filtered subscription wakes waiters on own appends only, and is opened
 * again with backoff after the server drops it (a restart). Resuming from a
 * checkpoint's position is what the server documents checkpoints for.
 */
export function eventStoreDbEventStore(
  client: EsdbClient,
  options: Omit<EventStoreDbOptions, 'connectionString'>,
): EventStore {
  const { streamPrefixes } = options;
  if (streamPrefixes && streamPrefixes.length === 0) throw new Error('EventStoreDB adapter: streamPrefixes is empty');
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 10_000;
  const owned = ownedBy(streamPrefixes);
  const head = new OwnHead();
  const appended = createAppendSignal();
  let live: AllStreamSubscription | undefined;
  let resubscribe: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  let probed = false;
  async function scanToHead(): Promise<bigint> {
    if (!probed && head.scanFrom === 0n) {
      // Knowing nothing yet: a busy service's last event is usually among the last few of `$all`.
      const tail = await probeTail(client, owned, TAIL_WINDOW).catch((e: unknown) => {
        throw unavailable(e);
      });
      probed = true;
      if (tail) head.tail(tail.last, tail.top);
    }
    const after = head.scanFrom;
    await scanOwnEvents(client, streamPrefixes, {
      after,
      limit: Infinity,
      onEvent: (_e, position) => head.own(position),
      onCheckpoint: (position) => head.scanned(position, after),
      silenceTimeoutMs,
    }).catch((e: unknown) => {
      throw unavailable(e);
    });
    return head.last;
  }

  // Concurrent callers share the next read, which starts after theirs were made: none gets a head older than its call.
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<bigint> | undefined;
  function headPosition(): Promise<bigint> {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return scanToHead();
    });
    queued = next;
    tail = next.catch(() => undefined);
    return next;
  }

  /** Follows own appends from `scanFrom`; its checkpoints keep `scanFrom` near the end of `$all`. */
  function follow(): void {
    if (live || resubscribe || closed) return;
    const after = head.scanFrom;
    const subscription = client.subscribeToAll({
      fromPosition: after === 0n ? START : decodePosition(after),
      filter: ownStreamsFilter(streamPrefixes, async (s, position) => {
        await drained(s);
        head.scanned(encodePosition(position), after);
      }),
    });
    live = subscription;
    subscription.on('confirmation', () => (failures = 0));
    subscription.on('data', (resolved) => {
      const e = resolved.event;
      if (!e?.position || !owned(e.streamId, e.type)) return;
      failures = 0;
      head.own(encodePosition(e.position));
      appended.emit('append');
    });
    const dropped = () => {
      if (live !== subscription) return;
      live = undefined;
      void subscription.unsubscribe().catch(() => undefined);
      if (closed) return;
      // Waiters look again (a failing read backs off in its catch-up loop); the follower returns after a backoff.
      appended.emit('append');
      failures += 1;
      resubscribe = setTimeout(
        () => {
          resubscribe = undefined;
          follow();
        },
        Math.min(100 * 2 ** failures, 5000),
      );
    };
    subscription.on('error', dropped);
    subscription.on('end', dropped);
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
        throw unavailable(e);
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
        const position = result.position ? encodePosition(result.position) : 0n;
        if (owned(streamName, events[0].type)) {
          head.own(position);
          appended.emit('append'); // this process's waiters need not wait for the live subscription
        }
        return { nextExpectedRevision: result.nextExpectedRevision, position };
      } catch (e) {
        if (isWrongVersion(e)) {
          const actual = (e as { actualVersion?: bigint | string }).actualVersion;
          throw new WrongExpectedRevisionError(
            streamName,
            expectedRevision,
            typeof actual === 'bigint' ? actual : 'no_stream',
          );
        }
        throw unavailable(e);
      }
    },

    async readAll(options: ReadAllOptions = {}) {
      const after = options.after ?? 0n;
      const events: RecordedEvent[] = [];
      await scanOwnEvents(client, streamPrefixes, {
        after,
        limit: options.maxCount ?? 1000,
        onEvent: (e, position) => {
          head.own(position);
          events.push(toRecorded(e));
        },
        onCheckpoint: (position) => head.scanned(position, after),
        silenceTimeoutMs,
      }).catch((e: unknown) => {
        throw unavailable(e);
      });
      return events;
    },

    async waitForAppend(after: bigint, timeoutMs: number) {
      if (closed) return;
      await waitForSignal(appended, timeoutMs, async () => {
        if (head.last > after) return true;
        const past = (await headPosition()) > after;
        follow(); // only once the head is known: a follower from the start of `$all` would replay the history
        return past;
      });
    },

    headPosition,

    async close() {
      closed = true;
      clearTimeout(resubscribe);
      appended.emit('append');
      await live?.unsubscribe().catch(() => undefined);
      await client.dispose();
    },
  };
  return store;
}
