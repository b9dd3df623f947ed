import { RecordedEvent } from '../event-store';

/**
 * The store's most recent events as this process last read them: every committed event with a
 * position in (from, to] is held, in order. Positions commit in order (the append lock), so such a
 * range never gains an event later, and a page read from `after` covers (after, its last position].
 * Bounded: the oldest events are dropped first.
 */
export function createRecentEvents(maxEvents = 256) {
  let from = 0n;
  let to = 0n;
  let events: RecordedEvent[] = [];
  let empty = true;

  /** The first index whose position is after `after` (events are in position order). */
  const firstAfter = (after: bigint) => {
    let low = 0;
    let high = events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (events[mid].position <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  };

  return {
    /**
     * Up to `maxCount` events after `after` when the range is held from there (`reachesTo`: how far
     * what was returned is known to be complete), or undefined when it must be read from the store.
     */
    read(after: bigint, maxCount: number): { events: RecordedEvent[]; reachesTo: bigint } | undefined {
      if (empty || after < from || after > to) return undefined;
      const start = firstAfter(after);
      const page = events.slice(start, start + maxCount);
      return { events: page, reachesTo: page.length === maxCount ? page[page.length - 1].position : to };
    },

    /** What a read of the store from `after` returned. */
    remember(after: bigint, page: readonly RecordedEvent[]): void {
      const last = page.length > 0 ? page[page.length - 1].position : after;
      if (empty || after > to || (after < from && last >= to)) {
        // nothing held, a gap after what is held, or a page that covers all of it: the page replaces it
        from = after;
        to = last;
        events = page.slice();
        empty = false;
      } else if (after >= from && last > to) {
        events = events.concat(page.filter((e) => e.position > to));
        to = last;
      } else return; // within what is held, or older than it
      if (events.length > maxEvents) {
        const drop = events.length - maxEvents;
        from = events[drop - 1].position;
        events = events.slice(drop);
      }
    },
  };
}
