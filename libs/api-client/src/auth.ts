import { SessionStore, Tokens } from './session';

export const SESSION_COOKIE_HEADER = 'X-Session-Cookie';

/** Routes that answer with a new token pair: the session stores it. */
const ISSUES_TOKENS = new Set(['/auth/login', '/auth/register', '/auth/refresh', '/auth/password']);
/**
 * Routes whose 401 is about the credentials in the request, not an expired access token: a wrong
 * password (login, or the current password of a password change), a refused refresh token.
 */
const NO_REFRESH = new Set(['/auth/login', '/auth/register', '/auth/refresh', '/auth/password']);
/** Routes after which the session is over. */
const ENDS_SESSION = new Set(['/auth/logout', '/auth/logout-all']);

export type FetchLike = (request: Request) => Promise<Response>;

interface TokenPairBody {
  access_token?: unknown;
  refresh_token?: unknown;
}

/**
 * The client's authentication, as a fetch wrapper every request goes through (openapi-fetch's calls,
 * the event streams, downloads): it sends the access token as `Authorization: Bearer`; on a 401 it
 * refreshes once — a single refresh shared by every request that failed meanwhile, since a refresh
 * token is spent by its first use and presenting it twice ends the session — and retries the request
 * once with the new token. A retry that fails again is the answer (no loop). Token-issuing replies
 * are stored in the session; logout clears it. In cookie mode every `/auth/*` request carries
 * `X-Session-Cookie: 1`, so the refresh token stays in the gateway's HttpOnly cookie.
 */
export class Authenticator {
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly baseUrl: string,
    readonly session: SessionStore,
    private readonly send: FetchLike,
    private readonly credentials?: RequestCredentials,
  ) {}

  /** The path of a request under the base URL (`/videos/…`), to recognise the auth routes. */
  private route(request: Request): string {
    const path = new URL(request.url).pathname;
    const base = this.baseUrl ? new URL(this.baseUrl, request.url).pathname.replace(/\/$/, '') : '';
    return base && path.startsWith(base) ? path.slice(base.length) || '/' : path;
  }

  async accessToken(): Promise<string | undefined> {
    return (await this.session.load())?.accessToken;
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    const route = this.route(request);
    if (this.session.mode === 'cookie' && route.startsWith('/auth/')) request.headers.set(SESSION_COOKIE_HEADER, '1');
    // A copy made before the body is read: the one the retry sends.
    const spare = NO_REFRESH.has(route) ? undefined : request.clone();
    const token = await this.accessToken();
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    let response = await this.send(this.withCredentials(request));
    if (response.status === 401 && spare && !spare.headers.has('authorization')) {
      if (await this.refresh(token)) {
        const fresh = await this.accessToken();
        if (fresh) spare.headers.set('authorization', `Bearer ${fresh}`);
        await response.body?.cancel().catch(() => undefined);
        response = await this.send(this.withCredentials(spare));
      }
    }
    if (response.ok && ISSUES_TOKENS.has(route)) await this.storeTokens(response.clone());
    if (response.ok && ENDS_SESSION.has(route)) await this.session.clear();
    return response;
  };

  private withCredentials(request: Request): Request {
    return this.credentials ? new Request(request, { credentials: this.credentials }) : request;
  }

  private async storeTokens(response: Response): Promise<void> {
    const body = (await response.json().catch(() => undefined)) as TokenPairBody | undefined;
    if (typeof body?.access_token !== 'string') return;
    const tokens: Tokens = { accessToken: body.access_token };
    if (typeof body.refresh_token === 'string' && this.session.mode === 'token')
      tokens.refreshToken = body.refresh_token;
    await this.session.save(tokens);
  }

  /**
   * A new token pair. `stale`: the access token a request was refused with — when the session holds
   * another one by the time this refresh runs, someone else already refreshed and that pair is used,
   * nothing spent. Within one client that someone is a concurrent request (they share one refresh);
   * between clients sharing one store (two CLI processes, one credentials file) it only works when the
   * store has `exclusive`: the re-read and the refresh then run under its lock, so the second client
   * sees the first one's pair instead of presenting the refresh token the first one spent (which the
   * gateway takes for reuse, revoking the session). False when the session cannot be refreshed: no
   * refresh token, or the gateway refused it — the session is cleared then, unless the store holds a
   * newer refresh token by then (another client's, still good).
   */
  refresh(stale?: string): Promise<boolean> {
    this.refreshing ??= (
      this.session.exclusive ? this.session.exclusive(() => this.refreshOnce(stale)) : this.refreshOnce(stale)
    ).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(stale: string | undefined): Promise<boolean> {
    const current = await this.session.load();
    if (stale !== undefined && current?.accessToken && current.accessToken !== stale) return true;
    const url = `${this.baseUrl.replace(/\/$/, '')}/auth/refresh`;
    let request: Request;
    if (this.session.mode === 'cookie') {
      request = new Request(url, { method: 'POST', headers: { [SESSION_COOKIE_HEADER]: '1' } });
    } else {
      if (!current?.refreshToken) return false;
      request = new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
      });
    }
    const response = await this.send(this.withCredentials(request));
    if (response.ok) {
      await this.storeTokens(response);
      return true;
    }
    await response.body?.cancel().catch(() => undefined);
    // Refused (spent, expired, logged out): this session is over — unless the store has moved on to
    // another pair meanwhile (a store without a lock, or a login): that one is not ours to delete.
    // Anything else (5xx, the network) may pass: keep it.
    if (response.status === 401 || response.status === 400) {
      const now = await this.session.load();
      if (this.session.mode === 'cookie' || now?.refreshToken === current?.refreshToken) await this.session.clear();
    }
    return false;
  }
}
