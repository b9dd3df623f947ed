import type { Decider } from '@study-buddy/contracts';
import { deterministicId } from './deterministic-id';
import { EventMetadata, EventStore, RecordedEvent, WrongExpectedRevisionError } from './event-store';
import { SnapshotOptions } from './snapshots';

export type { Decider } from '@study-buddy/contracts';

export interface HandleOptions {
  metadata?: EventMetadata;
  /**
   * Makes the append idempotent: event ids derive from this key, so running the
   * same command again (a redelivered message) cannot store its events twice.
   */
  idempotencyKey?: string;
  /**
   * The stream's event schemas: each new event is validated before it is stored
   * (a decider bug must not write a malformed event) and its schema version is
   * written into its metadata.
   */
  schemas?: Record<string, { type: string; version: number; schema: { parse(data: unknown): unknown } }>;
  maxAttempts?: number;
  /** Start from the stream's latest snapshot and read only the events after it (a long-lived stream). */
  snapshots?: SnapshotOptions;
}

/** A stream's state as the caller just read it (`loadState`): the first attempt decides on it instead of reading again. */
export interface KnownState<State> {
  state: State;
  /** -1n: no stream. */
  revision: bigint;
  position: bigint;
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
 * Commands on one stream run one at a time within a process: a hot stream (a
 * user's ledger, written by requests and by event handlers at once) would
 * otherwise spend its time in revision conflicts. Other processes are still
 * kept honest by the expected revision.
 */
const streamQueues = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

function serialised<T>(store: EventStore, streamName: string, work: () => Promise<T>): Promise<T> {
  let queues = streamQueues.get(store);
  if (!queues) streamQueues.set(store, (queues = new Map()));
  const previous = queues.get(streamName) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(streamName, settled);
  void settled.then(() => {
    if (queues.get(streamName) === settled) queues.delete(streamName);
  });
  return next;
}

/**
 * Load → decide → append with the expected revision. On a concurrent write the
 * command is re-decided against the fresh state, a bounded number of times.
 */
export function handleCommand<Command, Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: HandleOptions & { known?: KnownState<State> } = {},
): Promise<HandleResult<Event, State>> {
  return serialised(store, streamName, () => decideAndAppend(store, streamName, decider, command, options));
}

async function decideAndAppend<Command, Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: HandleOptions & { known?: KnownState<State> },
): Promise<HandleResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    // What the caller read may be stale by now: then the append's expected revision fails and the retry reads.
    const loaded =
      attempt === 1 && options.known && !options.snapshots
        ? { ...options.known, snapshotRevision: -1n }
        : await load(store, streamName, decider, options.snapshots);
    const { state, revision, position } = loaded;
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) return { newEvents, state, revision, position };
    try {
      const result = await store.appendToStream(
        streamName,
        newEvents.map((e, i) => {
          const definition = options.schemas?.[e.type];
          return {
            id: options.idempotencyKey ? deterministicId(`${options.idempotencyKey}/${streamName}/${i}`) : undefined,
            type: e.type,
            data: definition ? definition.schema.parse(e.data) : e.data,
            metadata: { ...options.metadata, schemaVersion: definition?.version ?? 1 },
          };
        }),
        { expectedRevision: revision >= 0n ? revision : 'no_stream' },
      );
      const next = newEvents.reduce(decider.evolve, state);
      // Only a fresh append is known to give exactly this state: one answered as a retry of an earlier append
      // (the same idempotency key) applied these events to a state that may already hold them.
      const fresh = result.nextExpectedRevision === revision + BigInt(newEvents.length);
      if (options.snapshots && !fresh) forgetLatest(options.snapshots, streamName);
      else if (options.snapshots) {
        const taken = { revision: result.nextExpectedRevision, position: result.position, state: next };
        let snapshotRevision = loaded.snapshotRevision;
        if (result.nextExpectedRevision - loaded.snapshotRevision >= options.snapshots.every) {
          // Best effort: a snapshot that fails to save only means the next command reads a little more.
          const saved = await options.snapshots.store.save(streamName, options.snapshots.version, taken).then(
            () => true,
            () => false,
          );
          if (saved) snapshotRevision = taken.revision;
        }
        rememberLatest(options.snapshots, streamName, { ...taken, snapshotRevision });
      }
      return { newEvents, state: next, revision: result.nextExpectedRevision, position: result.position };
    } catch (e) {
      // the state remembered may be ahead of the stream (a restored database): read it whole next time
      if (options.snapshots && WrongExpectedRevisionError.is(e)) forgetLatest(options.snapshots, streamName);
      if (!WrongExpectedRevisionError.is(e) || attempt >= maxAttempts) throw e;
      // Several writers on one hot stream (a user's ledger): spread the retries out so they stop colliding.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 100)));
    }
  }
}

/** A stream's state as this process last saw it, and the revision of its stored snapshot. */
interface LatestState {
  state: unknown;
  revision: bigint;
  position: bigint;
  snapshotRevision: bigint;
}

/**
 * The latest state of the streams this process commanded (per snapshot store, state version and stream):
 * the next command on one reads only the events after it, one query instead of the snapshot's and the
 * stream's. A state folded up to a revision never changes, so a stale entry only means more events to
 * read (another replica's appends). Bounded: the least recently used go first.
 */
const latestStates = new WeakMap<SnapshotOptions['store'], Map<string, LatestState>>();
const LATEST_STATES_KEPT = 1000;

/** The states kept for this snapshot store, and the key of this stream's at this state version. */
function latestOf(snapshots: SnapshotOptions, streamName: string) {
  let states = latestStates.get(snapshots.store);
  if (!states) latestStates.set(snapshots.store, (states = new Map()));
  return { states, key: `${snapshots.version}/${streamName}` };
}

function recallLatest(snapshots: SnapshotOptions, streamName: string): LatestState | undefined {
  const { states, key } = latestOf(snapshots, streamName);
  return states.get(key);
}

function forgetLatest(snapshots: SnapshotOptions, streamName: string): void {
  const { states, key } = latestOf(snapshots, streamName);
  states.delete(key);
}

function rememberLatest(snapshots: SnapshotOptions, streamName: string, latest: LatestState): void {
  const { states, key } = latestOf(snapshots, streamName);
  const current = states.get(key);
  if (current && current.revision > latest.revision) return;
  states.delete(key);
  states.set(key, latest);
  if (states.size > LATEST_STATES_KEPT) states.delete(states.keys().next().value!);
}

/** The stream's state: from the latest this process saw, or its snapshot (if any), plus the events after it. `revision` -1n: no stream. */
async function load<Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  snapshots: SnapshotOptions | undefined,
) {
  const latest = snapshots ? recallLatest(snapshots, streamName) : undefined;
  const snapshot = latest ?? (snapshots ? await snapshots.store.load(streamName, snapshots.version) : null);
  const recorded = await store.readStream(streamName, snapshot ? { fromRevision: snapshot.revision + 1n } : undefined);
  const base = snapshot ? (snapshot.state as State) : decider.initialState();
  const last = recorded[recorded.length - 1];
  const loaded = {
    state: recorded.reduce((s, e) => decider.evolve(s, asEvent<Event>(e)), base),
    revision: last?.revision ?? snapshot?.revision ?? -1n,
    position: last?.position ?? snapshot?.position ?? 0n,
    snapshotRevision: latest ? latest.snapshotRevision : (snapshot?.revision ?? -1n),
  };
  if (snapshots && loaded.revision >= 0n) rememberLatest(snapshots, streamName, loaded);
  return loaded;
}

function fold<Event extends { type: string; data: unknown }, State>(
  recorded: RecordedEvent[],
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
): State {
  return recorded.reduce((s, e) => decider.evolve(s, asEvent<Event>(e)), decider.initialState());
}

export function asEvent<Event extends { type: string; data: unknown }>(e: RecordedEvent): Event {
  return { type: e.type, data: e.data } as Event;
}

/** Folds a stream into state (for reads that need the write model, such as login). */
export async function loadState<Event extends { type: string; data: unknown }, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
): Promise<{ state: State; exists: boolean; position: bigint; revision: bigint }> {
  const recorded = await store.readStream(streamName);
  const last = recorded[recorded.length - 1];
  return {
    state: fold(recorded, decider),
    exists: recorded.length > 0,
    position: last?.position ?? 0n,
    revision: last?.revision ?? -1n,
  };
}
