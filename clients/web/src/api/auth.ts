import { Core } from './client';
import { SESSION_COOKIE_HEADER } from './session';
import type { TokenPair } from './types';

/** Sign-up, login and logout, always with the refresh token in the HttpOnly cookie. */
export function authApi(core: Core) {
  const start = async (run: () => Promise<{ data?: TokenPair; error?: unknown; response: Response }>) => {
    const pair = await core.call(run);
    core.session.accept(pair as TokenPair);
  };
  return {
    signUp: (email: string, password: string, name?: string) =>
      start(() =>
        core.http.POST('/auth/register', {
          body: { email, password, ...(name ? { name } : {}) },
          headers: SESSION_COOKIE_HEADER,
        }),
      ),
    logIn: (email: string, password: string) =>
      start(() => core.http.POST('/auth/login', { body: { email, password }, headers: SESSION_COOKIE_HEADER })),
    /** On page load: a session the cookie still holds. */
    restore: () => core.session.refresh(),
    logOut: async () => {
      try {
        await core.http.POST('/auth/logout', { headers: SESSION_COOKIE_HEADER });
      } finally {
        core.session.clear();
      }
    },
    me: () => core.call(() => core.http.GET('/auth/me')),
  };
}
