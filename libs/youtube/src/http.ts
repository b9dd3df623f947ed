import { YouTubeError } from './errors';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
type Dispatcher = RequestInit['dispatcher'];

export interface HttpOptions {
  /** HTTP(S) proxy for every request, e.g. http://user:pass@proxy:3128. */
  proxyUrl?: string;
  timeoutMs: number;
  /** For tests that need to observe requests; defaults to fetch (through the proxy when set). */
  fetch?: FetchLike;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  url: string;
  body: string;
  /** The body as received (thumbnails are binary). */
  bytes: Buffer;
}

/**
 * Every YouTube request goes through here: one timeout per call, the proxy
 * when configured, and network trouble mapped to transient failures.
 */
export function createHttp(options: HttpOptions): (url: string, init?: RequestInit) => Promise<HttpResponse> {
  const { doFetch, dispatcher } = transport(options);
  return async (url, init = {}) => {
    let response: Response;
    let bytes: Buffer;
    try {
      // The timeout covers the body too: a server that stalls mid-body is as slow as one that never answers.
      const signal = AbortSignal.timeout(options.timeoutMs);
      response = await doFetch(url, { ...init, signal, redirect: 'follow', dispatcher });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (e) {
      const name = (e as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new YouTubeError('timeout', `no answer within ${options.timeoutMs} ms`);
      throw new YouTubeError('network', describe(e));
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      url: response.url,
      body: bytes.toString('utf8'),
      bytes,
    };
  };
}

function transport(options: HttpOptions): { doFetch: FetchLike; dispatcher?: Dispatcher } {
  if (options.fetch) return { doFetch: options.fetch };
  if (!options.proxyUrl) return { doFetch: fetch as FetchLike };
  // undici's own fetch with its ProxyAgent: the global fetch's bundled undici may not accept a dispatcher from another copy.
  let undici: { fetch: FetchLike; ProxyAgent: new (url: string) => Dispatcher };
  try {
    // Loaded only when a proxy is configured: direct traffic needs nothing beyond Node's fetch.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    undici = require('undici');
  } catch {
    throw new Error('YOUTUBE_PROXY_URL needs the undici package (npm install undici), which is not installed');
  }
  return { doFetch: undici.fetch, dispatcher: new undici.ProxyAgent(options.proxyUrl) };
}

/** The cause without credentials: proxy URLs may carry them. */
function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const text = cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
  return text.replace(/\/\/[^@/\s]+@/g, '//***@');
}

/** Classifies a non-success answer: rate limit, consent interstitial, bot check, server error. */
export function classifyHttpFailure(response: HttpResponse): YouTubeError | null {
  if (response.status === 429) return new YouTubeError('rate_limited', `HTTP 429 from ${path(response.url)}`);
  if (response.status >= 500) return new YouTubeError('server_error', `HTTP ${response.status}`);
  if (/consent\.youtube\.com/.test(response.url) || (isHtml(response) && /consent\.youtube\.com/.test(response.body)))
    return new YouTubeError('consent_required', 'consent interstitial');
  if (isHtml(response) && /unusual traffic|recaptcha|sorry\/index/i.test(response.body))
    return new YouTubeError('blocked', 'captcha page');
  if (response.status >= 400) return new YouTubeError('unexpected_response', `HTTP ${response.status}`);
  return null;
}

const isHtml = (r: HttpResponse) => /html/i.test(r.contentType) || /^\s*<!doctype html|^\s*<html/i.test(r.body);
const path = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};
