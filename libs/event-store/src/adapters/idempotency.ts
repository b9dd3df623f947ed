import { AppendResult, DuplicateEventIdError, NewEvent, RecordedEvent } from '../event-store';

/** What telling a retry from a conflict needs of a stored event. */
type StoredEvent = Pick<RecordedEvent, 'id' | 'streamName' | 'revision' | 'position'>;

/**
 * An append whose event ids are all already in the stream is a retry of an
 * append that succeeded: answer with the original result instead of writing
 * duplicates. Ids found only partly, or in another stream, are a conflict.
 */
export function findIdempotentAppend(
  streamName: string,
  events: NewEvent[],
  lookup: (id: string) => StoredEvent | undefined,
): AppendResult | undefined {
  const ids = events.map((e) => e.id).filter((id): id is string => Boolean(id));
  if (ids.length === 0) return undefined;
  const found = ids.map(lookup).filter((e): e is StoredEvent => Boolean(e));
  if (found.length === 0) return undefined;
  const sameStream = found.every((e) => e.streamName === streamName);
  if (found.length === events.length && sameStream) {
    const last = found.reduce((a, b) => (a.position > b.position ? a : b));
    return { nextExpectedRevision: last.revision, position: last.position };
  }
  throw new DuplicateEventIdError(streamName, found[0].id, found[0].streamName);
}
