import { EventStore, RecordedEvent } from './event-store';

export interface SubscribeAllOptions {
  /** Exclusive start position (a checkpoint). */
  after?: bigint;
  batchSize?: number;
  /** Longest wait for a wake-up before polling again; covers missed notifications. */
  idleTimeoutMs?: number;
  filter?: (event: RecordedEvent) => boolean;
}

export interface AllSubscription extends AsyncIterable<RecordedEvent[]> {
  stop(): void;
}

/**
 * Follows the store's global order from a position, yielding batches. Built on
 * `readAll` + `waitForAppend` so every adapter gets identical catch-up and live
 * semantics; the caller owns its checkpoint.
 */
export function subscribeToAll(store: EventStore, options: SubscribeAllOptions = {}): AllSubscription {
  let stopped = false;
  let after = options.after ?? 0n;
  const batchSize = options.batchSize ?? 500;
  const idle = options.idleTimeoutMs ?? 1000;
  let wake: (() => void) | undefined;

  async function* batches(): AsyncGenerator<RecordedEvent[]> {
    while (!stopped) {
      const events = await store.readAll({ after, maxCount: batchSize });
      if (events.length > 0) {
        after = events[events.length - 1].position;
        const wanted = options.filter ? events.filter(options.filter) : events;
        if (wanted.length > 0) yield wanted;
        continue;
      }
      await Promise.race([store.waitForAppend(after, idle), new Promise<void>((resolve) => (wake = resolve))]);
    }
  }

  return {
    [Symbol.asyncIterator]: () => batches(),
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
