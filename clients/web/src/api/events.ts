import { Core } from './client';
import type { ProgressUpdate } from './types';

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Splits a text/event-stream into messages (comments and `retry:` lines are dropped). */
export class SseParser {
  private buffer = '';
  private id: string | undefined;
  private event = 'message';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const breakLength = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + breakLength);
      if (line === '') {
        if (this.data.length > 0) out.push({ id: this.id, event: this.event, data: this.data.join('\n') });
        this.event = 'message';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id') this.id = value;
    }
    return out;
  }
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Follows `GET /events` for as long as `signal` is not aborted: every video in flight as it is now,
 * then live updates. A dropped stream is opened again with `Last-Event-ID`, so what was missed is
 * replayed and nothing twice; a 401 renews the session first (through `Core.fetch`).
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
      const response = await core.fetch('/events', {
        headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal,
      });
      if (response.status === 401) {
        onState('closed');
        return;
      }
      if (response.ok && response.body) {
        onState('live');
        delay = 1000;
        const parser = new SseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            if (message.id) lastEventId = message.id;
            // the gateway names each event after the video's status (queued, processing, completed …)
            try {
              const update = JSON.parse(message.data) as ProgressUpdate;
              if (typeof update.video_id === 'string') onUpdate(update);
            } catch {
              /* a malformed message is skipped */
            }
          }
        }
      }
    } catch {
      if (signal.aborted) break;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
  onState('closed');
}
