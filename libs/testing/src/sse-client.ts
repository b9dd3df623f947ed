/** One Server-Sent Event as a browser's EventSource would dispatch it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** The error body when the server refused the stream (status ≠ 200). */
  body?: unknown;
  /** Events received so far, in order. */
  readonly events: SseEvent[];
  /** Resolves with the events once `count` have arrived (or rejects after `timeoutMs`). */
  next(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** A minimal EventSource over fetch, for tests: parses `id`, `event` and `data` lines, ignores comments. */
export async function openSseStream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  if (response.status !== 200 || !response.body) {
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      events,
      next: () => Promise.reject(new Error(`no stream: status ${response.status}`)),
      ended: Promise.resolve(),
      close: () => undefined,
    };
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = block.split('\n').filter((l) => l && !l.startsWith(':'));
          const get = (name: string) =>
            fields.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
          const data = get('data');
          if (data.length === 0) continue; // `retry:` and heartbeats dispatch nothing
          events.push({ id: get('id')[0], event: get('event')[0] ?? 'message', data: JSON.parse(data.join('\n')) });
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      /* aborted by close() */
    } finally {
      for (const wake of waiters.splice(0)) wake();
    }
  })();
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: response.status,
    headers: response.headers,
    events,
    ended,
    close: () => abort.abort(),
    async next(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (finished) throw new Error(`stream ended after ${events.length} of ${count} events`);
        if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return events.slice(0, count);
    },
  };
}
