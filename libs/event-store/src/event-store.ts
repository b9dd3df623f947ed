/**
 * The one interface every event store adapter implements (PostgreSQL locally and
 * in CI, in-memory in unit tests, EventStoreDB in production). Revisions and
 * positions are bigints: EventStoreDB's are 64-bit and a stream may outgrow 2^53.
 */

/** `no_stream`: create only. `stream_exists`: append only to an existing stream. A bigint: the revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  userId?: string;
  traceparent?: string;
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface NewEvent<TData = unknown> {
  /** A uuid. Give a deterministic one to make a retried append a no-op. */
  id?: string;
  type: string;
  data: TData;
  metadata?: EventMetadata;
}

export interface RecordedEvent<TData = unknown> {
  id: string;
  type: string;
  data: TData;
  metadata: EventMetadata;
  streamName: string;
  /** 0 for a stream's first event. */
  revision: bigint;
  /** Position in the store's global order; strictly increasing, not necessarily contiguous. */
  position: bigint;
  createdAt: Date;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append: pass it as the next expected revision. */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events after this position. Omit to start from the beginning. */
  after?: bigint;
  maxCount?: number;
}

export interface EventStore {
  readonly name: string;
  /** The stream's events in order; an empty array when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  appendToStream(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** One page of events in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Resolves when an event may have been appended after `after`, or when `timeoutMs` passes. */
  waitForAppend(after: bigint, timeoutMs: number): Promise<void>;
  /** Last global position in the store (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }

  static is(e: unknown): e is WrongExpectedRevisionError {
    return e instanceof WrongExpectedRevisionError || (e instanceof Error && e.name === 'WrongExpectedRevisionError');
  }
}

/** An append reused an event id already stored elsewhere (another stream, or only some of the batch). */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamName: string,
    readonly eventId: string,
    readonly existingStream: string,
  ) {
    super(`Event ${eventId} appended to ${streamName} already exists in ${existingStream}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Shared check used by the adapters that enforce revisions themselves. */
export function assertExpectedRevision(
  streamName: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'stream_exists' && actual !== 'no_stream') ||
    (typeof expected === 'bigint' && actual === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual);
}

/** The store's server cannot be reached right now (restarting, electing a leader): try again shortly. */
export class EventStoreUnavailableError extends Error {
  constructor(
    readonly store: string,
    cause: unknown,
  ) {
    super(`${store} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventStoreUnavailableError';
  }

  static is(e: unknown): e is EventStoreUnavailableError {
    return e instanceof EventStoreUnavailableError || (e instanceof Error && e.name === 'EventStoreUnavailableError');
  }
}
