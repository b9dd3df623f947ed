import type { SessionStore, Tokens } from '@study-buddy/api-client';

type Listener = (signedIn: boolean) => void;

/**
 * The signed-in state, as the API client's session store in cookie mode: the access token lives
 * only in this object (memory); the refresh token only in the HttpOnly `sb_refresh` cookie the
 * gateway sets (the client sends `X-Session-Cookie: 1` on /auth/*), which this code never sees.
 * Nothing goes to localStorage or sessionStorage. Listeners hear of sign-in and sign-out.
 */
export class Session implements SessionStore {
  readonly mode = 'cookie' as const;
  private tokens: Tokens | undefined;
  private readonly listeners = new Set<Listener>();

  get signedIn(): boolean {
    return this.tokens !== undefined;
  }

  load(): Tokens | undefined {
    return this.tokens;
  }

  save(tokens: Tokens): void {
    const was = this.signedIn;
    this.tokens = { accessToken: tokens.accessToken };
    if (!was) this.emit();
  }

  clear(): void {
    const was = this.signedIn;
    this.tokens = undefined;
    if (was) this.emit();
  }

  /**
   * Refreshes run one at a time across this browser's tabs (Web Locks): tabs share the cookie, and two
   * presenting the same refresh token at once would look like reuse and end the session. Under the
   * lock the second tab sends the cookie the first one's refresh has just replaced.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? (locks.request('study-buddy-session-refresh', fn) as Promise<T>) : fn();
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit() {
    for (const listener of this.listeners) listener(this.signedIn);
  }
}
