import { ServerResponse } from 'node:http';
import {
  ApiError,
  backoffDelay,
  createStudyBuddyClient,
  MAX_BACKOFF_MS,
  memorySession,
  SseMessage,
  SseParser,
  streamEvents,
} from '../src';
import { json, startServer, TestServer, unauthorized } from './http-server';

function parseInChunks(text: string, sizes: number[]): SseMessage[] {
  const parser = new SseParser();
  const out: SseMessage[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(...parser.feed(text.slice(at, at + size)));
    at += size;
  }
  return out;
}

const STREAM =
  '\uFEFFretry: 1500\r\n\r\n' +
  ': heartbeat\r\n\r\n' +
  'id: 1.0\r\nevent: queued\r\ndata: {"status":"queued"}\r\n\r\n' +
  ':comment between\n' +
  'data: line one\ndata:line two\ndata\n\n' +
  'id: 1.25\revent: processing\rdata: {"progress":25}\r\r' +
  'event: nothing\n\n' +
  'id: 1.100\nevent: completed\ndata: {"note_id":"n"}\n\n' +
  'data: unfinished';

const EXPECTED: SseMessage[] = [
  { id: '1.0', event: 'queued', data: '{"status":"queued"}' },
  { id: '1.0', event: 'message', data: 'line one\nline two\n' },
  { id: '1.25', event: 'processing', data: '{"progress":25}' },
  { id: '1.100', event: 'completed', data: '{"note_id":"n"}' },
];

describe('SseParser', () => {
  it('parses ids, events, multi-line data, CRLF / LF / CR line ends, comments and retry', () => {
    const parser = new SseParser();
    expect(parser.feed(STREAM)).toEqual(EXPECTED);
    expect(parser.retry).toBe(1500);
    expect(parser.lastEventId).toBe('1.100');
  });

  it('gives the same events whatever the chunk boundaries (a CRLF split in two included)', () => {
    for (const sizes of [[1], [2], [3, 1], [7], [5, 11, 2], [64]])
      expect(parseInChunks(STREAM, sizes)).toEqual(EXPECTED);
    // CR at a chunk's end followed by LF in the next is one line end, not two (which would dispatch early)
    const parser = new SseParser();
    expect(parser.feed('data: a\r')).toEqual([]);
    expect(parser.feed('\ndata: b\r')).toEqual([]);
    expect(parser.feed('\n\r\n')).toEqual([{ id: '', event: 'message', data: 'a\nb' }]);
  });

  it('keeps the id it was resumed from until the stream sends another', () => {
    expect(new SseParser('1.40').feed('data: x\n\n')).toEqual([{ id: '1.40', event: 'message', data: 'x' }]);
  });
});

function writeEvent(res: ServerResponse, id: string, event: string, data: unknown): void {
  res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function openStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write('retry: 2000\n\n');
}

describe('streamEvents', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  const client = (accessToken = 'at-1') =>
    createStudyBuddyClient({
      baseUrl: server.url,
      session: memorySession('token', { accessToken, refreshToken: 'rt-1' }),
    });

  it('reconnects after a dropped connection with Last-Event-ID and ends after the terminal event', async () => {
    let connection = 0;
    server = await startServer((req, res) => {
      connection++;
      openStream(res);
      if (connection === 1) {
        writeEvent(res, '1.0', 'queued', { status: 'queued' });
        res.write(': heartbeat\n\n');
        writeEvent(res, '1.10', 'processing', { status: 'processing', step: 'starting', progress: 10 });
        // half an event, then the connection dies
        res.write('id: 1.25\nevent: processing\ndata: {"sta');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      writeEvent(res, '1.25', 'processing', { status: 'processing', step: 'fetching_transcript', progress: 25 });
      writeEvent(res, '1.100', 'completed', { status: 'completed', note_id: 'n-1' });
      // the gateway would end the response here; this one stays open, so only endAfter can stop the stream
    });
    const seen: string[] = [];
    for await (const event of streamEvents(client(), '/videos/7c9e6679-7425-40de-944b-e07fc1f90ae7/events', {
      retryMs: 10,
    }))
      seen.push(`${event.id} ${event.event} ${event.data.progress ?? event.data.note_id}`);
    expect(seen).toEqual(['1.0 queued undefined', '1.10 processing 10', '1.25 processing 25', '1.100 completed n-1']);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers['last-event-id']).toBeUndefined();
    expect(server.requests[1].headers['last-event-id']).toBe('1.10');
    expect(server.requests[0].headers.authorization).toBe('Bearer at-1');
  });

  it('refreshes the access token on a 401 and opens the stream with the new one', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/auth/refresh') return json(res, 200, { access_token: 'at-2', refresh_token: 'rt-2' });
      if (req.headers.authorization !== 'Bearer at-2') return unauthorized(res);
      openStream(res);
      writeEvent(res, '1.100', 'failed', {
        status: 'failed',
        error: { message: 'No captions', failed_step: 'fetching_transcript', retryable: false },
      });
      res.end();
    });
    const events = [];
    for await (const event of streamEvents(client('at-old'), '/videos/x/events', { retryMs: 10 })) events.push(event);
    expect(events.map((e) => e.event)).toEqual(['failed']);
    expect(server.requests.map((r) => r.path)).toEqual(['/videos/x/events', '/auth/refresh', '/videos/x/events']);
  });

  it('throws a refusal as an ApiError with the gateway message, without reconnecting', async () => {
    server = await startServer((_req, res) =>
      json(res, 404, { error: { code: 'not_found', message: 'Video not found' } }),
    );
    const iterate = async () => {
      for await (const _ of streamEvents(client(), '/videos/x/events', { retryMs: 10 })) void _;
    };
    await expect(iterate()).rejects.toEqual(expect.objectContaining({ status: 404, message: 'Video not found' }));
    await expect(iterate()).rejects.toBeInstanceOf(ApiError);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries connections in a row that fail, with the last error', async () => {
    server = await startServer((_req, res) => json(res, 503, { error: { code: 'unavailable', message: 'Try later' } }));
    const iterate = async () => {
      for await (const _ of streamEvents(client(), '/events', { retryMs: 5, maxRetries: 2 })) void _;
    };
    await expect(iterate()).rejects.toEqual(expect.objectContaining({ status: 503 }));
    expect(server.requests).toHaveLength(3);
  });

  it('the all-videos stream keeps going until aborted', async () => {
    let connection = 0;
    server = await startServer((_req, res) => {
      connection++;
      openStream(res);
      writeEvent(res, `v${connection}:1.100`, 'completed', { video_id: `v${connection}` });
      res.end(); // closed by the server: reconnect
    });
    const stop = new AbortController();
    const seen: string[] = [];
    for await (const event of streamEvents(client(), '/events', { retryMs: 5, signal: stop.signal })) {
      seen.push(event.data.video_id);
      if (seen.length === 3) stop.abort();
    }
    expect(seen).toEqual(['v1', 'v2', 'v3']);
    expect(server.requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, 'v1:1.100', 'v2:1.100']);
  });

  it('ends a video stream resumed after its end (the server closes with nothing to say)', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end();
    });
    const events = [];
    for await (const event of streamEvents(client(), '/videos/x/events', { lastEventId: '2.100', retryMs: 5 }))
      events.push(event);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a connection that only sent heartbeats is not a failure: a long quiet wait outlasts maxRetries', async () => {
    let connection = 0;
    server = await startServer((_req, res) => {
      connection++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connection < 5) {
        res.write(': heartbeat\n\n'); // a proxy closes the quiet stream after its heartbeat
        return res.end();
      }
      writeEvent(res, '1.100', 'completed', { status: 'completed', note_id: 'n' });
      res.end();
    });
    const events = [];
    for await (const event of streamEvents(client(), '/videos/x/events', { retryMs: 5, maxRetries: 1 }))
      events.push(event.event);
    expect(events).toEqual(['completed']);
    expect(connection).toBe(5);
  });

  it('waits out a 429 (the per-user stream limit) for its Retry-After, without counting it against maxRetries', async () => {
    let connection = 0;
    const at: number[] = [];
    server = await startServer((_req, res) => {
      at.push(Date.now());
      if (++connection <= 2)
        return json(
          res,
          429,
          { error: { code: 'too_many_streams', message: 'Too many streams' } },
          { 'retry-after': '1' },
        );
      openStream(res);
      writeEvent(res, '1.100', 'completed', { status: 'completed', note_id: 'n' });
      res.end();
    });
    const events = [];
    for await (const event of streamEvents(client(), '/videos/x/events', { retryMs: 5, maxRetries: 0 }))
      events.push(event.event);
    expect(events).toEqual(['completed']);
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(900);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(900);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(1000, 0, () => 1)).toBe(1000);
    expect(backoffDelay(1000, 1, () => 1)).toBe(1000);
    expect(backoffDelay(1000, 2, () => 1)).toBe(2000);
    expect(backoffDelay(1000, 4, () => 1)).toBe(8000);
    expect(backoffDelay(1000, 4, () => 0)).toBe(4000);
    expect(backoffDelay(1000, 30, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(1000, 30, () => 0.5)).toBeLessThan(MAX_BACKOFF_MS);
  });
});
