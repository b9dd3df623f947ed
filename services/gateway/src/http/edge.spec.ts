import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppError, RPC } from '@study-buddy/contracts';
import { createHttpApp, RateLimiter, RPC_CLIENT } from '@study-buddy/nest-kit';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AccessTokens } from '../auth/access-tokens';
import { JwtAuthGuard } from '../auth/auth.guard';
import { UsersService } from '../auth/users.service';
import { generateSigningKeyPem, parseSigningKeys } from '../auth/signing-keys';
import { ACCESS_TOKENS } from '../sessions/sessions.service';
import { NotesController } from './notes.controller';
import { RATE_LIMIT_RULES, RATE_LIMITER, RateLimitGuard } from './rate-limit.guard';
import { registerEdgePlugins } from './edge-plugins';
import { registerBody } from './public-api.schemas';
import { VIDEO_VIEW_CACHE, VideoViewCache } from '../read-cache/video-view-cache';
import { VideosController } from './videos.controller';

const tokens = new AccessTokens(parseSigningKeys(generateSigningKeyPem()), 900);
const rpc = createRecordingRpc();

/** Counts in memory; the PostgreSQL limiter has its own spec in nest-kit. */
function memoryLimiter(): RateLimiter {
  const hits = new Map<string, number>();
  return {
    async hit(bucket, key, rule) {
      const n = (hits.get(`${bucket}/${key}`) ?? 0) + 1;
      hits.set(`${bucket}/${key}`, n);
      return n <= rule.limit ? { allowed: true } : { allowed: false, retryAfterSeconds: 42 };
    },
  };
}

@Module({
  controllers: [VideosController, NotesController],
  providers: [
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: ACCESS_TOKENS, useValue: tokens },
    { provide: RPC_CLIENT, useValue: rpc },
    // no settings: submissions go as they came
    { provide: UsersService, useValue: { preferences: async () => ({}) } },
    { provide: RATE_LIMITER, useValue: memoryLimiter() },
    { provide: RATE_LIMIT_RULES, useValue: { submit: { limit: 2, windowSeconds: 60 } } },
    RateLimitGuard,
    { provide: VIDEO_VIEW_CACHE, useValue: new VideoViewCache({ maxEntries: 0, maxAgeMs: 1000 }) },
  ],
})
class EdgeTestModule {}

describe('the gateway edge', () => {
  let app: NestFastifyApplication;
  let token: (sub: string) => Promise<string>;
  const userId = randomUUID();
  const videoId = randomUUID();

  beforeAll(async () => {
    app = await createHttpApp(EdgeTestModule, { env: { TRUST_PROXY: false } } as never, {
      configureHttp: (a) => registerEdgePlugins(a, { CORS_ORIGINS: ['https://app.example.com'] }),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    token = async (sub) => tokens.issue({ sub, email: 'a@example.com', sid: randomUUID() });
    rpc.respond(RPC.videos.get, (data) => {
      const { videoId: id } = data as { videoId: string };
      if (id !== videoId) throw new AppError('not_found', 'Video not found');
      return {
        videoId,
        youtubeVideoId: 'aaaaaaaaaa1',
        url: 'https://www.youtube.com/watch?v=aaaaaaaaaa1',
        status: 'queued',
        progress: 0,
        step: null,
        statusMessage: null,
        noteId: null,
        title: null,
        subject: null,
        error: null,
        attempt: 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        completedAt: null,
      };
    });
    rpc.respond(RPC.videos.submit, () => ({ videoId, youtubeVideoId: 'aaaaaaaaaa1', status: 'queued', created: true }));
  });
  afterAll(() => app.close());

  const get = async (url: string, sub: string = userId, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await token(sub)}`, ...headers } });

  it('sends security headers on every reply: found, not found, refused, invalid', async () => {
    const replies = [
      await get(`/videos/${videoId}`),
      await get('/no-such-route'),
      await app.inject({ method: 'GET', url: `/videos/${videoId}` }),
      await get('/videos?limit=0'),
    ];
    expect(replies.map((r) => r.statusCode)).toEqual([200, 404, 401, 400]);
    for (const response of replies)
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'strict-transport-security': expect.stringContaining('max-age='),
        'x-frame-options': 'SAMEORIGIN',
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
      });
  });

  it('allows only the configured origins', async () => {
    const allowed = await get(`/videos/${videoId}`, userId, { origin: 'https://app.example.com' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await get(`/videos/${videoId}`, userId, { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('finds a video by its id in upper case, and answers 404 for a non-id without asking videos', async () => {
    rpc.calls.length = 0;
    expect((await get(`/videos/${videoId.toUpperCase()}`)).statusCode).toBe(200);
    expect(rpc.callsTo(RPC.videos.get)).toEqual([{ userId, videoId }]);
    expect((await get('/videos/not-an-id')).statusCode).toBe(404);
    expect((await get(`/notes/${'\u00e9'.repeat(3)}`)).statusCode).toBe(404);
    expect(rpc.calls).toHaveLength(1);
  });

  it('answers 401 to a validly signed token whose subject is not a user id', async () => {
    const response = await get(`/videos/${videoId}`, 'admin');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('refuses unknown fields and unknown query parameters', async () => {
    expect((await get(`/videos?limit=5&admin=true`)).statusCode).toBe(400);
    expect((await get(`/videos/${videoId}?x=1`)).statusCode).toBe(400);
  });

  it('limits submissions per user with 429 and Retry-After', async () => {
    const submit = async (sub: string) =>
      app.inject({
        method: 'POST',
        url: '/videos',
        headers: { authorization: `Bearer ${await token(sub)}` },
        payload: { url: 'https://youtu.be/aaaaaaaaaa1' },
      });
    const someone = randomUUID();
    expect((await submit(someone)).statusCode).toBe(202);
    expect((await submit(someone)).statusCode).toBe(202);
    const refused = await submit(someone);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('42');
    expect(refused.json().error.code).toBe('rate_limited');
    expect((await submit(randomUUID())).statusCode).toBe(202);
  });

  it('answers an over-long transcript with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/videos',
      headers: { authorization: `Bearer ${await token(randomUUID())}` },
      payload: { url: 'https://youtu.be/aaaaaaaaaa1', transcript: 'é'.repeat(500_000) },
    });
    expect(response.statusCode).toBe(413);
  });
});

describe('registration input', () => {
  it('refuses a password of only whitespace', () => {
    expect(registerBody.safeParse({ email: 'a@example.com', password: ' '.repeat(12) }).success).toBe(false);
    expect(registerBody.safeParse({ email: 'a@example.com', password: ' a long password ' }).success).toBe(true);
  });
});
