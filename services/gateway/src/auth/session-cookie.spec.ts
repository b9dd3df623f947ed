import { FastifyRequest } from 'fastify';
import { isLocalHost, refreshCookie, refreshCookieValue, wantsSessionCookie } from './session-cookie';

const request = (headers: Record<string, string>, hostname = '127.0.0.1') =>
  ({ headers, hostname }) as unknown as FastifyRequest;

describe('the refresh-token cookie', () => {
  it('is only wanted with X-Session-Cookie: 1 exactly', () => {
    expect(wantsSessionCookie(request({ 'x-session-cookie': '1' }))).toBe(true);
    expect(wantsSessionCookie(request({ 'x-session-cookie': 'true' }))).toBe(false);
    expect(wantsSessionCookie(request({}))).toBe(false);
  });

  it('reads sb_refresh among other cookies, and refuses a value that is not a token', () => {
    expect(refreshCookie(request({ cookie: 'a=1; sb_refresh=abc.DEF_-9; b=2' }))).toBe('abc.DEF_-9');
    expect(refreshCookie(request({ cookie: 'xsb_refresh=abc' }))).toBeUndefined();
    expect(refreshCookie(request({ cookie: 'sb_refresh=a b' }))).toBeUndefined();
    expect(refreshCookie(request({ cookie: 'sb_refresh=' }))).toBeUndefined();
    expect(refreshCookie(request({ cookie: `sb_refresh=${'x'.repeat(201)}` }))).toBeUndefined();
    expect(refreshCookie(request({}))).toBeUndefined();
  });

  it('is Secure everywhere but on the machine itself', () => {
    expect(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'].every(isLocalHost)).toBe(true);
    expect(['example.com', '127.0.0.2', 'localhost.example.com'].some(isLocalHost)).toBe(false);
    expect(refreshCookieValue(request({}, 'localhost'), 't', 60)).toBe(
      'sb_refresh=t; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=60',
    );
    expect(refreshCookieValue(request({}, 'study.example.com'), '', 0)).toBe(
      'sb_refresh=; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=0; Secure',
    );
  });
});
