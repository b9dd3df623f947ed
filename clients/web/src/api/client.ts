import createClient from 'openapi-fetch';
import type { paths } from '@study-buddy/api-client';
import { apiError } from './errors';
import { Session } from './session';

export type Fetcher = ReturnType<typeof createClient<paths>>;

/**
 * openapi-fetch over the generated `paths` (same origin), with the in-memory access token on every
 * request and one renewal through the refresh cookie when a call answers 401.
 */
export class Core {
  readonly http: Fetcher;

  constructor(readonly session: Session) {
    this.http = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
    this.http.use({
      onRequest: ({ request }) => {
        const token = this.session.token;
        if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });
  }

  /** Runs a call; on 401 renews the session once and runs it again. Throws ApiError on a failure. */
  async call<T extends { data?: unknown; error?: unknown; response: Response }>(
    run: () => Promise<T>,
  ): Promise<NonNullable<T['data']> & {}> {
    let result = await run();
    if (result.response.status === 401 && this.session.signedIn && (await this.session.refresh())) result = await run();
    if (!result.response.ok) throw apiError(result.response, result.error);
    return (result.data ?? {}) as NonNullable<T['data']> & {};
  }

  /** Like `call`, keeping the Response too (ETags, headers). */
  async callWithResponse<T extends { data?: unknown; error?: unknown; response: Response }>(
    run: () => Promise<T>,
  ): Promise<{ data: NonNullable<T['data']>; response: Response }> {
    let result = await run();
    if (result.response.status === 401 && this.session.signedIn && (await this.session.refresh())) result = await run();
    if (!result.response.ok) throw apiError(result.response, result.error);
    return { data: result.data as NonNullable<T['data']>, response: result.response };
  }

  /** A plain authorised fetch (downloads, event streams), renewed once on 401. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const send = () => {
      const headers = new Headers(init.headers);
      if (this.session.token) headers.set('authorization', `Bearer ${this.session.token}`);
      return fetch(path, { ...init, headers, credentials: 'same-origin' });
    };
    let response = await send();
    if (response.status === 401 && this.session.signedIn && (await this.session.refresh())) response = await send();
    return response;
  }
}
