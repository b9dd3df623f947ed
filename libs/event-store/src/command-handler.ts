import { deterministicId } from './deterministic-id';
import { EventMetadata, EventStore, RecordedEvent, WrongExpectedRevisionError } from './event-store';

/** A pure decider: the domain logic of one aggregate, no I/O. */
export interface Decider<Command, Event extends { type: string; data: unknown }, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface HandleOptions {
  metadata?: EventMetadata;
  /**
   * Makes the append idempotent: event ids derive from this key, so running the
   * same command again (a redelivered message) cannot store its events twice.
   */
  idempotencyKey?: string;
  /** Schema versions of the event types, written into metadata. */
  schemaVersions?: Record<string, number>;
  maxAttempts?: number;
}

export interface HandleResult<Event, State> {
  newEvents: Event[];
  state: State;
  /** Revision of the stream after the command; -1n when the stream still does not exist. */
  revision: bigint;
  /** Global position of the last appended event, or of the stream's last event when nothing was appended. */
  position: bigint;
}

/**
 * Load → decide → append with the expected revision. On a concurrent write the
 * command is re-decided against the fresh state, a bounded number of times.
 */
export async function handleCommand<Command, Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: HandleOptions = {},
): Promise<HandleResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const recorded = await store.readStream(streamName);
    const state = recorded.reduce((s, e) => decider.evolve(s, asEvent<Event>(e)), decider.initialState());
    const last = recorded[recorded.length - 1];
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { newEvents, state, revision: last?.revision ?? -1n, position: last?.position ?? 0n };
    }
    try {
      const result = await store.appendToStream(
        streamName,
        newEvents.map((e, i) => ({
          id: options.idempotencyKey ? deterministicId(`${options.idempotencyKey}/${streamName}/${i}`) : undefined,
          type: e.type,
          data: e.data,
          metadata: { ...options.metadata, schemaVersion: options.schemaVersions?.[e.type] ?? 1 },
        })),
        { expectedRevision: last ? last.revision : 'no_stream' },
      );
      return {
        newEvents,
        state: newEvents.reduce(decider.evolve, state),
        revision: result.nextExpectedRevision,
        position: result.position,
      };
    } catch (e) {
      if (!WrongExpectedRevisionError.is(e) || attempt >= maxAttempts) throw e;
    }
  }
}

export function asEvent<Event extends { type: string; data: unknown }>(e: RecordedEvent): Event {
  return { type: e.type, data: e.data } as Event;
}

/** Folds a stream into state (for reads that need the write model, such as login). */
export async function loadState<Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
): Promise<{ state: State; exists: boolean; position: bigint }> {
  const recorded = await store.readStream(streamName);
  return {
    state: recorded.reduce((s, e) => decider.evolve(s, asEvent<Event>(e)), decider.initialState()),
    exists: recorded.length > 0,
    position: recorded[recorded.length - 1]?.position ?? 0n,
  };
}
