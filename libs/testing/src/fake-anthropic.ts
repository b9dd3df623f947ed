/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are whatever the SDK sent */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for Anthropic's Messages API (`POST /v1/messages`), in the real wire format, so
 * the real `@anthropic-ai/sdk` can be pointed at it (`ANTHROPIC_BASE_URL`): JSON, or with
 * `"stream": true` Server-Sent Events (message_start, content_block_start, ping, content_block_delta
 * with text_delta, content_block_stop, message_delta with stop_reason and usage, message_stop).
 * It records every request, checks the key, prices prompt caching like the real API (the first
 * request with a `cache_control` prefix writes it, later identical prefixes read it), and answers
 * from a script: errors with `retry-after` (before a stream starts, as the real API does), invalid
 * JSON, truncated output, slow answers, and for streams an `error` event or a cut connection
 * mid-stream. Without a script it writes a plausible structured note (or assessment) from the
 * transcript in the prompt, citing only the `[<seconds>s]` markers it finds there (combining partial
 * notes, the first cited line of every part).
 */

export interface FakeAnthropicRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export type FakeAnthropicReply =
  /** A message whose text is `text` (or JSON.stringify(json)); the usage is estimated unless given. */
  | {
      kind: 'message';
      text?: string;
      json?: unknown;
      stopReason?: 'end_turn' | 'max_tokens' | 'refusal';
      usage?: Partial<FakeUsage>;
      delayMs?: number;
      /** Streamed: the wait between events (a slow but live answer). */
      chunkDelayMs?: number;
    }
  /** An API error in Anthropic's shape, e.g. 429 rate_limit_error, 529 overloaded_error, 401 authentication_error. */
  | { kind: 'error'; status: number; type: string; message: string; retryAfterSeconds?: number; delayMs?: number }
  /** A body that is not JSON at all, e.g. a proxy's HTML error page. */
  | { kind: 'raw'; status: number; body: string; delayMs?: number }
  /** The default answer built from the prompt, after a delay. */
  | { kind: 'default'; delayMs?: number; chunkDelayMs?: number }
  /**
   * Streamed: the stream starts (200), sends `afterChunks` text deltas of the default answer, then an
   * `error` event, e.g. overloaded_error mid-stream. Not streamed: the same error as an HTTP status.
   */
  | { kind: 'stream-error'; type: string; message: string; afterChunks?: number; delayMs?: number }
  /** Streamed: the connection closes after `afterChunks` text deltas, without message_stop. Not streamed: it closes at once. */
  | { kind: 'stream-cut'; afterChunks?: number; delayMs?: number };

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeAnthropic {
  /** `http://127.0.0.1:<port>`: the value for ANTHROPIC_BASE_URL. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Every request received, in order (refused ones too). */
  readonly requests: FakeAnthropicRequest[];
  /** Replies used, in order, before falling back to the default answer. */
  enqueue(...replies: FakeAnthropicReply[]): void;
  /** Every request without a queued reply gets this (e.g. always 401, or always slow). */
  setDefault(reply: FakeAnthropicReply): void;
  /** Forget the recorded requests, the queue, the cache and the default. */
  reset(): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export const fakeAnthropicError = (status: number, retryAfterSeconds?: number): FakeAnthropicReply => {
  return {
    kind: 'error',
    status,
    type: ERROR_TYPES[status] ?? 'api_error',
    message: status === 401 ? 'invalid x-api-key' : `fake ${ERROR_TYPES[status] ?? 'error'}`,
    retryAfterSeconds,
  };
};

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const msgId = () => `msg_fake_${randomBytes(12).toString('hex')}`;

export async function startFakeAnthropic(options: { apiKey?: string } = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? 'sk-ant-fake-key';
  const requests: FakeAnthropicRequest[] = [];
  let queue: FakeAnthropicReply[] = [];
  let fallback: FakeAnthropicReply = { kind: 'default' };
  let cached = new Set<string>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${Date.now()}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, status: number, type: string, message: string, headers = {}) =>
    send(res, status, { type: 'error', error: { type, message }, request_id: 'req_fake' }, headers);

  function usageOf(body: any): FakeUsage {
    // The cached prefix: everything up to and including the last block marked with cache_control.
    const parts: string[] = [JSON.stringify(body.system ?? '')];
    let prefix: string | null = null;
    for (const m of body.messages ?? [])
      for (const block of typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content) {
        parts.push(block.text ?? '');
        if (block.cache_control) prefix = parts.join('\n');
      }
    const total = estimateTokens(parts.join('\n'));
    if (prefix === null)
      return { input_tokens: total, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const key = createHash('sha256').update(`${body.model}\n${prefix}`).digest('hex');
    const prefixTokens = estimateTokens(prefix);
    const hit = cached.has(key);
    cached.add(key);
    return {
      input_tokens: total - prefixTokens,
      output_tokens: 0,
      cache_creation_input_tokens: hit ? 0 : prefixTokens,
      cache_read_input_tokens: hit ? prefixTokens : 0,
    };
  }

  function message(body: any, text: string, stopReason: string, usage: Partial<FakeUsage> = {}) {
    return {
      id: msgId(),
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [{ type: 'text', text }],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { ...usageOf(body), output_tokens: estimateTokens(text), ...usage },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      /* recorded as null, refused below */
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v1/messages'))
      return sendError(res, 404, 'not_found_error', 'Not found');
    const auth = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    // A refused key uses up no scripted reply: the script is for the requests that get through.
    if (auth !== apiKey) return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
    const reply = queue.shift() ?? fallback;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return; // the client timed out and went away
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages) || !body.max_tokens)
      return sendError(res, 400, 'invalid_request_error', 'model, messages and max_tokens are required');
    if ('temperature' in body) return sendError(res, 400, 'invalid_request_error', 'temperature is not supported');
    switch (reply.kind) {
      case 'error':
        return sendError(
          res,
          reply.status,
          reply.type,
          reply.message,
          reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {},
        );
      case 'raw':
        res.writeHead(reply.status, { 'content-type': 'text/html' });
        return res.end(reply.body);
      case 'message': {
        const text = reply.text ?? JSON.stringify(reply.json ?? {});
        const answer = message(body, text, reply.stopReason ?? 'end_turn', reply.usage);
        return body.stream ? stream(res, answer, { chunkDelayMs: reply.chunkDelayMs }) : send(res, 200, answer);
      }
      case 'default': {
        const answer = message(body, JSON.stringify(defaultAnswer(body)), 'end_turn');
        return body.stream ? stream(res, answer, { chunkDelayMs: reply.chunkDelayMs }) : send(res, 200, answer);
      }
      case 'stream-error': {
        const status = Number(Object.keys(ERROR_TYPES).find((k) => ERROR_TYPES[Number(k)] === reply.type) ?? 500);
        if (!body.stream) return sendError(res, status, reply.type, reply.message);
        const answer = message(body, JSON.stringify(defaultAnswer(body)), 'end_turn');
        return stream(res, answer, { stopAfter: reply.afterChunks ?? 1, error: reply });
      }
      case 'stream-cut': {
        if (!body.stream) return void res.socket?.destroy();
        const answer = message(body, JSON.stringify(defaultAnswer(body)), 'end_turn');
        return stream(res, answer, { stopAfter: reply.afterChunks ?? 1 });
      }
    }
  }

  /**
   * The message as the real API streams it: its usage so far on message_start, the text in deltas,
   * the stop reason and final usage on message_delta. With `stopAfter`, only that many deltas, then
   * the `error` event (or, without one, the connection is cut).
   */
  async function stream(
    res: ServerResponse,
    answer: ReturnType<typeof message>,
    options: { chunkDelayMs?: number; stopAfter?: number; error?: { type: string; message: string } },
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${Date.now()}`,
    });
    const { content, usage, stop_reason, stop_sequence, ...head } = answer;
    const deltas = (content[0].text.match(/[\s\S]{1,64}/g) ?? []).slice(0, options.stopAfter);
    const cut = options.stopAfter !== undefined;
    const events: [string, object][] = [
      // message_start carries the input counters; output_tokens grows until message_delta
      [
        'message_start',
        {
          message: {
            ...head,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
          },
        },
      ],
      ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', {}],
      ...deltas.map((text): [string, object] => [
        'content_block_delta',
        { index: 0, delta: { type: 'text_delta', text } },
      ]),
      ...(!cut
        ? ([
            ['content_block_stop', { index: 0 }],
            // like the real API: output_tokens, and the input counters again as whole-message totals
            ['message_delta', { delta: { stop_reason, stop_sequence }, usage }],
            ['message_stop', {}],
          ] as [string, object][])
        : options.error
          ? ([['error', { error: { type: options.error.type, message: options.error.message } }]] as [string, object][])
          : []),
    ];
    for (const [type, data] of events) {
      if (res.destroyed) return; // the client went away
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
    }
    if (cut && !options.error) {
      // Let what was written reach the client first, or it sees a refused connection (which the SDK retries).
      await new Promise((r) => res.write(': cut\n\n', () => setTimeout(r, 20)));
      return void res.socket?.destroy();
    }
    res.end();
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => {
        if (!res.headersSent) sendError(res, 500, 'api_error', String(e));
        else res.destroy(); // mid-stream: a cut stream, not one left hanging
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setDefault: (reply) => void (fallback = reply),
    reset: () => {
      requests.length = 0;
      queue = [];
      fallback = { kind: 'default' };
      cached = new Set();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** All text of the request's messages. */
const promptText = (body: any): string =>
  (body.messages ?? [])
    .flatMap((m: any) => (typeof m.content === 'string' ? [m.content] : m.content.map((b: any) => b.text ?? '')))
    .join('\n');

/** A note (or an assessment, when the requested schema has `questions`) grounded in the prompt's transcript. */
export function defaultAnswer(body: any): unknown {
  const text = promptText(body);
  const segments = [...text.matchAll(/^\[(\d+)s\] (.+)$/gm)].map((m) => ({ seconds: Number(m[1]), text: m[2] }));
  const plain = segments.length ? segments.map((s) => s.text) : text.split(/(?<=[.!?])\s+/).slice(0, 20);
  const cite = (i: number) => ({
    text: plain[i % plain.length] ?? 'A point from the lecture.',
    seconds: segments.length ? segments[i % segments.length].seconds : null,
  });
  if (body.output_config?.format?.schema?.properties?.questions) {
    const count = Number(/exactly (\d+) questions/.exec(text)?.[1] ?? 4);
    const kinds = ['gap-analysis', 'application', 'one-up', 'synthesis'];
    return {
      questions: Array.from({ length: count }, (_, i) => ({
        kind: kinds[i % kinds.length],
        question: `Question ${i + 1} about the lecture?`,
        modelAnswer: plain[i % plain.length] ?? 'As the lecture says.',
      })),
    };
  }
  // Combining partial notes ("Part 1 of 3: ..."): like the real model asked to, keep a point from every part.
  const parts = text.split(/^Part \d+ of \d+: /m).slice(1);
  const perPart = parts
    .map((p) => /^\[(\d+)s\] (.+)$/m.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ text: m[2], seconds: Number(m[1]) }));
  return {
    title: 'Notes from the lecture (Claude)',
    summary: plain.slice(0, 2).join(' ') || 'A lecture.',
    subject: /subject is "([^"]+)"/.exec(text)?.[1] ?? offeredSubject(body, text) ?? 'Science',
    language: /language with code "([^"]+)"/.exec(text)?.[1] ?? 'en',
    tags: ['lecture', 'claude'],
    concepts: [{ term: 'Main idea', definition: plain[0] ?? 'The lecture’s main idea.' }],
    keyPoints: perPart.length ? perPart.slice(0, 20) : [cite(0), cite(1), cite(2)],
    examples: [cite(3)],
    definitions: [{ term: 'Main idea', definition: plain[0] ?? 'The lecture’s main idea.' }],
    connections: [],
  };
}

/**
 * Of the user's subjects the prompt offers (`existing subjects, most-used first: [...]`), the first that its
 * transcript block mentions: like the real model asked to, it files the lecture under a subject it belongs to.
 */
function offeredSubject(body: any, text: string): string | undefined {
  const listed = /existing subjects, most-used first: (\[.*?\])\. If/.exec(text)?.[1];
  if (!listed) return undefined;
  let subjects: unknown;
  try {
    subjects = JSON.parse(listed);
  } catch {
    return undefined;
  }
  const first = body.messages?.[0]?.content;
  const transcript = (typeof first === 'string' ? first : (first?.[0]?.text ?? '')).toLowerCase();
  return Array.isArray(subjects)
    ? subjects.find((s): s is string => typeof s === 'string' && transcript.includes(s.toLowerCase()))
    : undefined;
}
