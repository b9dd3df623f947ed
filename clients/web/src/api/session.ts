import type { TokenPair } from './types';

/**
 * The signed-in state. The access token lives only in this object (memory); the refresh token only
 * in the HttpOnly `sb_refresh` cookie the gateway sets for `X-Session-Cookie: 1` requests, which
 * this code never sees. Nothing goes to localStorage or sessionStorage.
 */
export const SESSION_COOKIE_HEADER = { 'x-session-cookie': '1' } as const;

type Listener = (signedIn: boolean) => void;

export class Session {
  private accessToken: string | null = null;
  private renewal: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  get token(): string | null {
    return this.accessToken;
  }

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes a pair from register, login, refresh or a password change. */
  accept(pair: TokenPair): void {
    const was = this.signedIn;
    this.accessToken = pair.access_token;
    clearTimeout(this.timer);
    // renew a minute before the access token runs out (at least after 10 s)
    this.timer = setTimeout(() => void this.refresh(), Math.max(10, pair.expires_in - 60) * 1000);
    if (!was) this.emit();
  }

  clear(): void {
    clearTimeout(this.timer);
    const was = this.signedIn;
    this.accessToken = null;
    if (was) this.emit();
  }

  /** One renewal at a time through the cookie; false (and signed out) when the session is over. */
  refresh(): Promise<boolean> {
    this.renewal ??= this.renew().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async renew(): Promise<boolean> {
    try {
      const response = await fetch('/auth/refresh', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...SESSION_COOKIE_HEADER, 'content-type': 'application/json' },
        body: '{}',
      });
      if (!response.ok) {
        this.clear();
        return false;
      }
      this.accept((await response.json()) as TokenPair);
      return true;
    } catch {
      // offline: keep what we have, a later call tries again
      return this.signedIn;
    }
  }

  private emit() {
    for (const listener of this.listeners) listener(this.signedIn);
  }
}
