import { streamEvents } from '@study-buddy/api-client';
import { Core } from './client';
import { ApiError } from './errors';
import type { ProgressUpdate } from './types';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Follows `GET /events` for as long as `signal` is not aborted: every video in flight as it is now,
 * then live updates. The client's stream reconnects with `Last-Event-ID` (nothing missed, nothing
 * twice) and renews the session on a 401; should it give up, this opens it again after a pause,
 * from the last event seen. A session that is over (401) ends it.
 */
export async function followProgress(
  core: Core,
  onUpdate: (update: ProgressUpdate) => void,
  onState: (state: StreamState) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | undefined;
  let delay = 1000;
  while (!signal.aborted) {
    onState(lastEventId === undefined ? 'connecting' : 'reconnecting');
    try {
      onState('live');
      for await (const event of streamEvents(core.http, '/events', { lastEventId, signal })) {
        lastEventId = event.id;
        delay = 1000;
        onUpdate(event.data);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) break;
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
  onState('closed');
}
