import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  START,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store';

/** The part of the client that follows `$all`: the real one in production, a scripted stand-in in unit tests. */
export type AllSubscriber = Pick<EventStoreDBClient, 'subscribeToAll'>;
/** The part of the client that reads the tail of `$all`. */
export type TailReader = Pick<EventStoreDBClient, 'readAll'>;

/**
 * EventStoreDB orders `$all` by (commit, prepare). Events of one append share a
 * commit position, so the pair is folded into one bigint (commit·2^64 + prepare):
 * unique, ordered like `$all`, and reversible for `fromPosition`.
 */
const SHIFT = 64n;
const MASK = (1n << SHIFT) - 1n;
export const encodePosition = (p: Position): bigint => (p.commit << SHIFT) | p.prepare;
export const decodePosition = (p: bigint): Position => ({ commit: p >> SHIFT, prepare: p & MASK });

type Checkpoint = (subscription: AllStreamSubscription, position: Position) => Promise<void>;

/**
 * The server-side filter for this service's streams. The server sends only
 * matching events, plus a checkpoint after every window of events it scanned
 * (`checkpointInterval` 1: every window), so a read over other services' traffic
 * still reports progress. Without prefixes (tests): every non-system event.
 */
export function ownStreamsFilter(prefixes: string[] | undefined, checkpointReached: Checkpoint): Filter {
  return prefixes
    ? streamNameFilter({ prefixes, checkpointInterval: 1, checkpointReached })
    : excludeSystemEvents({ checkpointInterval: 1, checkpointReached });
}

/** Whether an event is this service's: the server filter's rule, checked again on what arrives. */
export function ownedBy(prefixes: string[] | undefined) {
  return (streamId: string, type: string): boolean =>
    !type.startsWith('$') && !streamId.startsWith('$') && (!prefixes || prefixes.some((p) => streamId.startsWith(p)));
}

/**
 * Resolves once every event the subscription has already pushed was handed to
 * its 'data' listeners. The client emits 'caughtUp' and calls `checkpointReached`
 * as the server's message arrives, possibly while earlier events still sit in the
 * stream's buffer: acting on them before the buffer drains would skip those events.
 */
export function drained(subscription: AllStreamSubscription): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (subscription.readableLength === 0 || subscription.destroyed ? resolve() : setImmediate(check));
    check();
  });
}

/**
 * What this process knows of its own streams in `$all`: `lastOwn`, the highest
 * position of an own event seen (appended, read or followed), and `scannedTo`,
 * a position up to which every own event is at most `lastOwn`. A read from
 * `scanFrom` to the end therefore finds the exact head.
 */
export class OwnHead {
  private lastOwn = 0n;
  private scannedTo = 0n;

  get last(): bigint {
    return this.lastOwn;
  }

  /** Where a read for newer own events starts (exclusive). */
  get scanFrom(): bigint {
    return this.lastOwn > this.scannedTo ? this.lastOwn : this.scannedTo;
  }

  own(position: bigint): void {
    if (position > this.lastOwn) this.lastOwn = position;
  }

  /** A contiguous read up to `top` whose highest own event is `last`: nothing own lies between them. */
  tail(last: bigint, top: bigint): void {
    this.own(last);
    if (top > this.scannedTo) this.scannedTo = top;
  }

  /**
   * A checkpoint of a read that started at or before `scanFrom` and has handed
   * over every own event up to it. A read that started later leaves a gap, so its
   * checkpoints say nothing about the events before it.
   */
  scanned(position: bigint, readStart: bigint): void {
    if (readStart <= this.scanFrom && position > this.scannedTo) this.scannedTo = position;
  }
}

export interface ScanOptions {
  /** Exclusive start position (0n: from the start of `$all`). */
  after: bigint;
  /** Own events to hand over before stopping; Infinity reads to the head. */
  limit: number;
  onEvent(event: AllStreamRecordedEvent, position: bigint): void;
  onCheckpoint(position: bigint): void;
  /** The read fails when the server sends nothing (event, checkpoint, caught-up) for this long. */
  silenceTimeoutMs: number;
}

/**
 * One catch-up read of this service's events with the filtered subscription:
 * `readAll` has no server-side filter, the subscription has, and its 'caughtUp'
 * says where the log ended (server 23.10 or later). Ends when `limit` own events
 * were handed over ('full') or the subscription caught up ('head').
 */
export function scanOwnEvents(
  client: AllSubscriber,
  prefixes: string[] | undefined,
  options: ScanOptions,
): Promise<'full' | 'head'> {
  const owned = ownedBy(prefixes);
  return new Promise((resolve, reject) => {
    let settled = false;
    let delivered = 0;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: 'full' | 'head' | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void subscription.unsubscribe().catch(() => undefined);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const progress = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          settle(
            new EventStoreUnavailableError(
              'EventStoreDB',
              new Error(`it sent nothing for ${options.silenceTimeoutMs} ms while reading $all`),
            ),
          ),
        options.silenceTimeoutMs,
      );
    };

    const subscription = client.subscribeToAll({
      fromPosition: options.after === 0n ? START : decodePosition(options.after),
      filter: ownStreamsFilter(prefixes, async (s, position) => {
        await drained(s);
        if (settled) return;
        progress();
        options.onCheckpoint(encodePosition(position));
      }),
    });
    progress();
    subscription.on('confirmation', progress);
    subscription.on('data', (resolved) => {
      const e = resolved.event;
      if (settled || !e?.position) return;
      progress();
      const position = encodePosition(e.position);
      // A subscription starts after its position; the check keeps reads strictly-after whatever the server does.
      if (position <= options.after || !owned(e.streamId, e.type)) return;
      options.onEvent(e, position);
      delivered += 1;
      if (delivered >= options.limit) settle('full');
    });
    subscription.on('caughtUp', () => void drained(subscription).then(() => settle('head')));
    subscription.on('error', (e: Error) => settle(e));
    subscription.on('end', () =>
      settle(new EventStoreUnavailableError('EventStoreDB', new Error('it ended a read of $all before catching up'))),
    );
  });
}

/**
 * A first head without streaming the service's whole history: the last
 * `window` events of `$all`, every service's (`readAll` has no filter). The
 * first own one read backwards is the head as of this read. Undefined when
 * none is among them: the caller scans forwards, filtered, from the start.
 */
export async function probeTail(
  client: TailReader,
  owned: (streamId: string, type: string) => boolean,
  window: number,
): Promise<{ last: bigint; top: bigint } | undefined> {
  let top: bigint | undefined;
  for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: window })) {
    const e = resolved.event;
    if (!e?.position) continue;
    const position = encodePosition(e.position);
    top ??= position;
    if (owned(e.streamId, e.type)) return { last: position, top };
  }
  return undefined;
}
