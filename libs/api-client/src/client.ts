import createClient, { Client } from 'openapi-fetch';
import { Authenticator, FetchLike } from './auth';
import type { paths } from './generated/openapi';
import { memorySession, SessionStore } from './session';

export interface StudyBuddyClientOptions {
  /** The gateway's address, e.g. `http://127.0.0.1:8080`; in the browser `''` (or the page's origin) for same-origin calls. */
  baseUrl: string;
  /** Where the tokens live; default: in memory, token mode. */
  session?: SessionStore;
  /** A fetch of your own (tests, instrumentation); default: the global fetch. */
  fetch?: FetchLike;
  /** Passed on every request, e.g. `include` for a dev server on another origin than the gateway. */
  credentials?: RequestCredentials;
}

/** The typed client (openapi-fetch's `GET`, `POST`, … on the gateway's paths) with its session. */
export interface StudyBuddyClient extends Client<paths> {
  readonly baseUrl: string;
  readonly session: SessionStore;
  /** Swaps the refresh token (or the cookie) for a new pair; false when the session cannot be refreshed. */
  refresh(): Promise<boolean>;
  /** A request to any path with the client's authentication (bearer, refresh on 401): event streams, downloads. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A Study Buddy API client: every call is typed from the gateway's OpenAPI document and authenticated by `session`. */
export function createStudyBuddyClient(options: StudyBuddyClientOptions): StudyBuddyClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const session = options.session ?? memorySession();
  const send: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const auth = new Authenticator(baseUrl, session, send, options.credentials);
  const client = createClient<paths>({ baseUrl, fetch: auth.fetch });
  const absolute = (path: string) =>
    baseUrl || typeof location === 'undefined' ? `${baseUrl}${path}` : new URL(path, location.href).href;
  return Object.assign(client, {
    baseUrl,
    session,
    refresh: () => auth.refresh(),
    fetch: (path: string, init?: RequestInit) => auth.fetch(new Request(absolute(path), init)),
  });
}
