import { randomUUID } from 'node:crypto';
import { FastifyReply } from 'fastify';
import { RPC } from '@study-buddy/contracts';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { UsersService } from '../auth/users.service';
import { UserPreferences } from '../domain/user.decider';
import { VideoViewCache } from '../read-cache/video-view-cache';
import { VideosController } from './videos.controller';

const noCache = new VideoViewCache<unknown>({ maxEntries: 0, maxAgeMs: 1000 });

describe('POST /videos fills what the submission leaves out from the user’s settings', () => {
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const request = { headers: {} } as AuthenticatedRequest;
  const reply = { status: () => reply } as unknown as FastifyReply;
  const url = 'https://youtu.be/dQw4w9WgXcQ';

  const submitWith = async (preferences: UserPreferences, body: Record<string, unknown>) => {
    const rpc = createRecordingRpc();
    rpc.respond(RPC.videos.submit, () => ({
      videoId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      status: 'queued',
      created: true,
    }));
    const users = { preferences: async () => preferences } as unknown as UsersService;
    await new VideosController(rpc, users, noCache).submit(body, user, request, reply);
    return rpc.callsTo(RPC.videos.submit)[0];
  };

  it('uses the defaults when the submission does not say', async () => {
    expect(
      await submitWith({ defaultSubject: 'Biology', noteLanguage: 'de', assessment: false }, { url }),
    ).toMatchObject({ userId: user.userId, url, subject: 'Biology', language: 'de', assessment: false });
  });

  it('keeps what the submission says over the defaults', async () => {
    expect(
      await submitWith(
        { defaultSubject: 'Biology', noteLanguage: 'de', assessment: false },
        { url, subject: 'Physics', language: 'en', assessment: true },
      ),
    ).toMatchObject({ subject: 'Physics', language: 'en', assessment: true });
  });

  it('sends nothing for settings the user never made', async () => {
    // undefined fields are left out of the JSON that crosses NATS
    expect(await submitWith({ defaultSubject: null, noteLanguage: null, assessment: null }, { url })).toEqual({
      userId: user.userId,
      url,
    });
  });
});

describe('GET /videos/info and /videos/{id}/thumbnail', () => {
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const users = {} as UsersService;
  const videoId = randomUUID();
  const recordingReply = () => {
    const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const reply = {
      status: (s: number) => ((sent.status = s), reply),
      header: (k: string, v: string) => ((sent.headers[k] = v), reply),
      send: (b?: unknown) => ((sent.body = b), reply),
    } as unknown as FastifyReply;
    return { reply, sent };
  };

  it('asks videos about the link and refuses a query without one', async () => {
    const rpc = createRecordingRpc();
    rpc.respond(RPC.videos.info, () => ({
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      title: 'T',
      channel: 'C',
      channelId: null,
      durationSeconds: 60,
      publishDate: null,
      thumbnailUrl: null,
      isLive: false,
      captionLanguages: [],
      processable: true,
      reason: null,
      cost: 1,
      existingVideoId: null,
    }));
    const controller = new VideosController(rpc, users, noCache);
    const request = { headers: {} } as AuthenticatedRequest;
    expect(await controller.info({ url: 'youtu.be/dQw4w9WgXcQ' }, user, request)).toMatchObject({
      duration_seconds: 60,
      caption_languages: [],
      cost: 1,
    });
    await expect(controller.info({}, user, request)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(controller.info({ url: 'x', extra: '1' }, user, request)).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('sends the image with its ETag and Cache-Control, and 304 for a matching If-None-Match', async () => {
    const rpc = createRecordingRpc();
    const image = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    rpc.respond(RPC.videos.thumbnail, (data) =>
      (data as { ifNoneMatch?: string }).ifNoneMatch === '"e1"'
        ? { etag: '"e1"', contentType: 'image/jpeg', notModified: true }
        : { etag: '"e1"', contentType: 'image/jpeg', notModified: false, data: image.toString('base64') },
    );
    const controller = new VideosController(rpc, users, noCache);
    const first = recordingReply();
    await controller.thumbnail(videoId, {}, user, { headers: {} } as AuthenticatedRequest, first.reply);
    expect(first.sent).toEqual({
      status: 200,
      headers: { etag: '"e1"', 'cache-control': 'private, max-age=86400', 'content-type': 'image/jpeg' },
      body: image,
    });
    const again = recordingReply();
    const conditional = { headers: { 'if-none-match': '"e1"' } } as unknown as AuthenticatedRequest;
    await controller.thumbnail(videoId, {}, user, conditional, again.reply);
    expect(again.sent).toMatchObject({ status: 304, headers: { etag: '"e1"' }, body: undefined });
    expect(rpc.callsTo(RPC.videos.thumbnail)[1]).toEqual({ userId: user.userId, videoId, ifNoneMatch: '"e1"' });
  });
});

describe('POST /videos/playlist', () => {
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const request = { headers: {} } as AuthenticatedRequest;
  const url = 'https://www.youtube.com/playlist?list=PLabc';
  const submitWith = async (body: unknown, submitted = 2) => {
    const rpc = createRecordingRpc();
    rpc.respond(RPC.videos.submitPlaylist, () => ({
      playlistId: randomUUID(),
      youtubePlaylistId: 'PLabc',
      title: 'Course',
      submitted,
      existing: 0,
      notSubmitted: 0,
      truncated: false,
    }));
    const users = { preferences: async () => ({ defaultSubject: 'Biology', noteLanguage: null, assessment: null }) };
    let status = 0;
    const reply = { status: (s: number) => ((status = s), reply) } as unknown as FastifyReply;
    const body_ = await new VideosController(rpc, users as unknown as UsersService, noCache).submitPlaylist(
      body,
      {},
      user,
      request,
      reply,
    );
    return { status, body: body_, call: rpc.callsTo(RPC.videos.submitPlaylist)[0] };
  };

  it('forwards the playlist with the user’s defaults; 202 when videos were submitted, 200 when none were', async () => {
    const first = await submitWith({ url, partial: true, limit: 3 });
    expect(first.status).toBe(202);
    expect(first.call).toEqual({ userId: user.userId, url, partial: true, limit: 3, subject: 'Biology' });
    expect(first.body).toMatchObject({ youtube_playlist_id: 'PLabc', not_submitted: 0 });
    expect((await submitWith({ url }, 0)).status).toBe(200);
  });

  it('refuses a transcript, unknown fields and a bad limit before anything is forwarded', async () => {
    for (const body of [{ url, transcript: 'x' }, { url, extra: 1 }, { url, limit: 0 }, { url, partial: 'yes' }, {}])
      await expect(submitWith(body)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
