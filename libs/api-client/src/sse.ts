import { apiErrorOf, ApiError } from './errors';
import type { paths } from './generated/openapi';

/** One dispatched Server-Sent Event, as the HTML standard's parser defines it. */
export interface SseMessage {
  /** The stream's last event id when this event was dispatched (ids persist until changed). */
  id: string;
  /** `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
}

/**
 * The event-stream parser of the HTML standard, fed text in chunks of any size: lines end with CRLF,
 * LF or CR (a CR at a chunk's end waits for a possible LF), `:` lines are comments (heartbeats), a
 * blank line dispatches, an event without data is not dispatched, an unfinished event at the end of
 * the stream is dropped.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private started = false;
  lastEventId = '';
  /** The last `retry:` the server sent, in ms. */
  retry: number | undefined;

  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
  }

  feed(chunk: string): SseMessage[] {
    let text = this.buffer + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && i === text.length - 1) break; // maybe the first half of a CRLF
      this.line(text.slice(start, i), out);
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = text.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0)
        out.push({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

type VideoView = paths['/videos/{id}']['get']['responses'][200]['content']['application/json'];

/**
 * The `data` of a progress event. The OpenAPI document describes the streams only as
 * `text/event-stream`, so this shape is written by hand after the gateway's `progress-event.ts`;
 * status and step use the document's types of `GET /videos/{id}`.
 */
export interface ProgressData {
  video_id: string;
  attempt?: number;
  status: VideoView['status'];
  step: VideoView['step'];
  progress: number;
  message: string | null;
  note_id: string | null;
  error: { message: string; failed_step: string; retryable: boolean } | null;
  at: string;
}

/** A progress event: the event name is the video's status. */
export interface ProgressEvent {
  id: string;
  event: VideoView['status'];
  data: ProgressData;
}

/** What a stream yields: progress events on the progress streams, JSON (or text) data elsewhere. */
export type StreamEvent<P extends string> = P extends '/events' | `/videos/${string}/events`
  ? ProgressEvent
  : { id: string; event: string; data: unknown };

export interface StreamOptions {
  /** Resume after this event (sent as `Last-Event-ID`). */
  lastEventId?: string;
  signal?: AbortSignal;
  /**
   * The first wait before reconnecting; default: the server's `retry:`, else 2000 ms. Failures in a
   * row double it (with jitter) up to MAX_BACKOFF_MS; a Retry-After on a 429 or 503 is waited instead.
   */
  retryMs?: number;
  /**
   * Connections in a row that fail before giving up (the last error is thrown); default 8. A
   * connection that received anything (a heartbeat too) or stayed open a while resets the count; a 429
   * (the per-user stream limit) never counts: it is waited out.
   */
  maxRetries?: number;
  /** The stream is over after this event; default on a video's stream: completed, failed or cancelled. */
  endAfter?: (event: { event: string }) => boolean;
}

/** The subset of the client a stream needs (its authenticated fetch). */
export interface StreamingClient {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const VIDEO_STREAM = /^\/videos\/[^/?]+\/events$/;

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The longest wait between reconnects (before a Retry-After, which is honoured as sent). */
export const MAX_BACKOFF_MS = 30_000;
/** A connection open this long was a working one, even if it said nothing: the failure count starts over. */
export const LONG_CONNECTION_MS = 30_000;

/**
 * The wait before reconnect number `failures` (0: after a working connection dropped): `base` doubled
 * per failure in a row, capped at MAX_BACKOFF_MS, with "equal jitter" (between half and all of it) so
 * that many clients dropped at once do not come back at once.
 */
export function backoffDelay(base: number, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Errors worth a reconnect: the network, and the server being briefly unable (5xx, 429). */
function transient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return true;
}

/**
 * The gateway's Server-Sent Events as an async iterator, on fetch streaming (browsers and Node):
 * reconnects after a dropped connection with `Last-Event-ID` (so nothing is missed or repeated),
 * refreshes the access token on a 401 (through the client), ends when a video's stream has sent its
 * last event, when `signal` aborts, or when the consumer stops iterating. A refusal (401 after the
 * refresh, 404, 400…) is thrown as an ApiError.
 */
export async function* streamEvents<P extends string>(
  client: StreamingClient,
  path: P,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent<P>, void, undefined> {
  const endAfter = options.endAfter ?? (VIDEO_STREAM.test(path) ? (e) => TERMINAL.has(e.event) : () => false);
  const maxRetries = options.maxRetries ?? 8;
  let lastEventId = options.lastEventId ?? '';
  let serverRetry: number | undefined;
  let failures = 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  try {
    while (!stop.signal.aborted) {
      let delivered = false;
      let received = false;
      let retryAfterMs: number | undefined;
      const opened = Date.now();
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (lastEventId) headers['last-event-id'] = lastEventId;
        const response = await client.fetch(path, { headers, signal: stop.signal, cache: 'no-store' });
        if (response.status === 204) return; // the standard's "do not reconnect"
        if (!response.ok) throw await apiErrorOf(response);
        if (!response.body) throw new Error('The event stream has no body');
        const parser = new SseParser(lastEventId);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (value.length > 0) received = true;
            for (const message of parser.feed(value)) {
              delivered = true;
              lastEventId = message.id;
              yield { id: message.id, event: message.event, data: parseData(message.data) } as StreamEvent<P>;
              if (endAfter(message)) return;
            }
            serverRetry = parser.retry ?? serverRetry;
          }
        } finally {
          await reader.cancel().catch(() => undefined);
        }
        // Closed by the server without a last event: a restart or a proxy's timeout. A video's stream
        // resumed after its end (seq 100) closes at once with nothing to say: that is its end.
        if (!delivered && VIDEO_STREAM.test(path) && /(^|\.)100$/.test(lastEventId)) return;
        if (!delivered) throw new Error('The event stream closed without sending an event');
        failures = 0;
      } catch (error) {
        if (stop.signal.aborted) return;
        if (!transient(error)) throw error;
        const limited = error instanceof ApiError && error.status === 429;
        if (error instanceof ApiError && (limited || error.status === 503) && error.retryAfterSeconds)
          retryAfterMs = error.retryAfterSeconds * 1000;
        // Anything heard (heartbeats too), or a long life: the server is there, this is a fresh start.
        if (received || Date.now() - opened >= LONG_CONNECTION_MS) failures = 0;
        else if (!limited && ++failures > maxRetries) throw error;
      }
      const base = options.retryMs ?? serverRetry ?? 2000;
      await sleep(retryAfterMs ?? backoffDelay(base, failures), stop.signal);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}
