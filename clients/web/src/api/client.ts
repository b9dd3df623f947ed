import { createStudyBuddyClient, StudyBuddyClient, unwrap } from '@study-buddy/api-client';
import { Session } from './session';

/**
 * The shared typed client (@study-buddy/api-client: openapi-fetch on the generated paths, bearer
 * token, one refresh through the cookie on 401) on the page's own origin.
 */
export class Core {
  readonly http: StudyBuddyClient;

  constructor(readonly session: Session) {
    this.http = createStudyBuddyClient({ baseUrl: '', session, credentials: 'same-origin' });
  }

  /** Runs a call and answers its data; a failure is thrown as the client's ApiError. */
  async call<T extends { data?: unknown; error?: unknown; response: Response }>(
    run: () => Promise<T>,
  ): Promise<NonNullable<T['data']> & {}> {
    return ((await this.callWithResponse(run)).data ?? {}) as NonNullable<T['data']> & {};
  }

  /** Like `call`, keeping the Response too (ETags, headers). */
  async callWithResponse<T extends { data?: unknown; error?: unknown; response: Response }>(
    run: () => Promise<T>,
  ): Promise<{ data: NonNullable<T['data']>; response: Response }> {
    const result = await run();
    // a 204 has no body: openapi-fetch reports no data and no error
    const data = result.response.status === 204 ? {} : unwrap(result);
    return { data: data as NonNullable<T['data']>, response: result.response };
  }

  /** An authenticated request to any path (downloads, event streams). */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return this.http.fetch(path, init);
  }

  /** A new access token through the refresh cookie; false when the session is over. */
  refresh(): Promise<boolean> {
    return this.http.refresh();
  }
}
