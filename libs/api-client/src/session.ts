/** What a session holds. In cookie mode there is no refresh token here: the browser keeps it in an HttpOnly cookie. */
export interface Tokens {
  accessToken: string;
  refreshToken?: string;
}

/**
 * Where a client keeps its tokens. `token` mode keeps the refresh token too and sends it in the body
 * of `/auth/refresh` (the CLI stores both in a file); `cookie` mode keeps only the access token (in
 * memory) and lets the gateway's `sb_refresh` cookie carry the refresh token (the browser).
 */
export interface SessionStore {
  readonly mode: 'token' | 'cookie';
  load(): Tokens | undefined | Promise<Tokens | undefined>;
  save(tokens: Tokens): void | Promise<void>;
  clear(): void | Promise<void>;
  /**
   * Runs `fn` (a refresh: re-read the tokens, spend the refresh token, store the new pair) while no
   * other client sharing this store runs its own. A store several processes share (the CLI's file)
   * needs it: without it two of them can present the same refresh token, and the second use ends
   * the session. Stores only one client uses can leave it out.
   */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
}

/** Tokens in memory only: a browser tab (cookie mode) or a short-lived script (token mode). */
export function memorySession(mode: SessionStore['mode'] = 'token', initial?: Tokens): SessionStore {
  let tokens = initial;
  return {
    mode,
    load: () => tokens,
    save: (next) => {
      tokens = mode === 'cookie' ? { accessToken: next.accessToken } : next;
    },
    clear: () => {
      tokens = undefined;
    },
  };
}
