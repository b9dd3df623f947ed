import { Core } from './client';

/**
 * Sign-up, login and logout. The client runs in cookie mode: it sends `X-Session-Cookie: 1` on every
 * /auth/* request, keeps the access token in the session and leaves the refresh token in the cookie.
 */
export function authApi(core: Core) {
  return {
    signUp: async (email: string, password: string, name?: string) => {
      await core.call(() => core.http.POST('/auth/register', { body: { email, password, ...(name ? { name } : {}) } }));
    },
    logIn: async (email: string, password: string) => {
      await core.call(() => core.http.POST('/auth/login', { body: { email, password } }));
    },
    /** On page load: a session the cookie still holds. */
    restore: () => core.refresh(),
    logOut: async () => {
      try {
        await core.http.POST('/auth/logout');
      } finally {
        core.session.clear();
      }
    },
    me: () => core.call(() => core.http.GET('/auth/me')),
  };
}
