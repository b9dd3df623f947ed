import { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The refresh token as an HttpOnly cookie, for browsers: a request carrying `X-Session-Cookie: 1`
 * gets its refresh token in `sb_refresh` instead of the JSON body, and `/auth/refresh` with that
 * header reads it from there. Only with the header: a custom header forces a CORS preflight, which
 * (with SameSite=Strict and JSON-only bodies) keeps other sites from using the cookie.
 */
export const SESSION_COOKIE_HEADER = 'x-session-cookie';
export const REFRESH_COOKIE = 'sb_refresh';
/** The cookie goes only to the auth routes, never with API calls. */
export const REFRESH_COOKIE_PATH = '/auth';

export function wantsSessionCookie(request: FastifyRequest): boolean {
  return request.headers[SESSION_COOKIE_HEADER] === '1';
}

/** `sb_refresh` from the Cookie header, if there is exactly a sane one. */
export function refreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9._~-]{1,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** Plain HTTP is only sane on the machine itself; everywhere else the cookie is `Secure`. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

export function refreshCookieValue(request: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const secure = isLocalHost(request.hostname) ? '' : '; Secure';
  return `${REFRESH_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setRefreshCookie(reply: FastifyReply, request: FastifyRequest, token: string, maxAge: number): void {
  reply.header('set-cookie', refreshCookieValue(request, token, maxAge));
}

export function clearRefreshCookie(reply: FastifyReply, request: FastifyRequest): void {
  reply.header('set-cookie', refreshCookieValue(request, '', 0));
}
