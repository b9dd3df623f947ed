import { z } from 'zod';
import { Api } from '../openapi/api-doc';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  AppError,
  listVideosReply,
  MAX_TRANSCRIPT_BYTES,
  parseOrThrow,
  RPC,
  submitPlaylistReply,
  submitVideoReply,
  videoActionReply,
  videoInfoReply,
  videoThumbnailReply,
  videoView,
} from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { UsersService } from '../auth/users.service';
import { VIDEO_VIEW_CACHE, VideoViewCache } from '../read-cache/video-view-cache';
import { RateLimit } from './rate-limit.guard';
import {
  listVideosQuery,
  noQuery,
  pathId,
  retryVideoBody,
  submitPlaylistBody,
  submitVideoBody,
  videoInfoQuery,
} from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

const submittedVideo = submitVideoReply.omit({ created: true });
const videoAction = videoActionReply.omit({ changed: true });
const SUBMITTED_EXAMPLE = {
  video_id: '3f0d6c1e-5b2a-4c7d-9e8f-1a2b3c4d5e6f',
  youtube_video_id: 'dQw4w9WgXcQ',
  status: 'queued',
};
const VIDEO_EXAMPLE = {
  ...SUBMITTED_EXAMPLE,
  url: 'https://youtu.be/dQw4w9WgXcQ',
  status: 'processing',
  progress: 60,
  step: 'generating_notes',
  status_message: 'Writing the notes',
  note_id: null,
  title: 'Cell division in ten minutes',
  subject: 'Biology',
  channel: 'Biology Explained',
  duration_seconds: 612,
  has_thumbnail: true,
  error: null,
  created_at: '2026-12-01T12:00:00.000Z',
  updated_at: '2026-12-01T12:00:20.000Z',
  completed_at: null,
  attempt: 1,
};

/** `/videos`: validated here, answered by the videos service over NATS. */
@Controller('videos')
export class VideosController {
  constructor(
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    private readonly users: UsersService,
    @Inject(VIDEO_VIEW_CACHE) private readonly views: VideoViewCache<unknown>,
  ) {}

  /** 202 for a new submission (processing starts), 200 with the existing video for a repeat. */
  @Api({
    tag: 'videos',
    summary: 'Submit a YouTube video for notes',
    description:
      "Fields left out come from the user's settings (PATCH /user). One credit is reserved and charged when the note is ready.",
    body: submitVideoBody,
    bodyExample: { url: 'https://youtu.be/dQw4w9WgXcQ', subject: 'Biology', language: 'en' },
    replies: {
      202: { description: 'Accepted: processing starts', contract: submittedVideo, example: SUBMITTED_EXAMPLE },
      200: { description: 'The caller had already submitted this video: no second charge', contract: submittedVideo },
    },
    errors: ['invalid_url', 'insufficient_credits'],
  })
  @Post()
  @RateLimit('submit')
  async submit(
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // Over the transcript limit is "too large", however it got past the body limit (which is looser).
    const transcript = (body as { transcript?: unknown } | null)?.transcript;
    if (typeof transcript === 'string' && Buffer.byteLength(transcript, 'utf8') > MAX_TRANSCRIPT_BYTES)
      throw new AppError('payload_too_large', `transcript must be at most ${MAX_TRANSCRIPT_BYTES} bytes`);
    const input = parseOrThrow(submitVideoBody, body, 'video submission');
    // What the submission leaves out comes from the user's settings (PATCH /user).
    const defaults = await this.users.preferences(user.userId);
    const subject = input.subject ?? defaults.defaultSubject ?? undefined;
    const language = input.language ?? defaults.noteLanguage ?? undefined;
    const assessment = input.assessment ?? defaults.assessment ?? undefined;
    const result = await this.rpc.request(
      RPC.videos.submit,
      { userId: user.userId, ...input, subject, language, assessment },
      { context: requestContext(request), reply: submitVideoReply, timeoutMs: 15_000 },
    );
    void reply.status(result.created ? 202 : 200);
    const { created: _created, ...rest } = result;
    return toSnakeCase(rest);
  }

  @Api({
    tag: 'videos',
    summary: "The caller's videos, newest first",
    query: listVideosQuery,
    replies: {
      200: {
        description: 'A page; pass next_cursor as cursor for the next one',
        contract: listVideosReply,
        example: { items: [VIDEO_EXAMPLE], next_cursor: 'WyIyMDI2LTEyLTAxVDEyOjAwOjAwLjAwMFoiLCIzZjBkNmMxZSJd' },
      },
    },
  })
  @Get()
  async list(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(listVideosQuery, query, 'query');
    const page = await this.rpc.request(
      RPC.videos.list,
      { userId: user.userId, ...input },
      { context: requestContext(request), reply: listVideosReply },
    );
    return toSnakeCase({ items: page.items, next_cursor: page.nextCursor });
  }

  /**
   * 202 when videos of the playlist were submitted (one credit each), 200 when there was nothing new to
   * submit; 402 with `required` and `available` when the credits do not cover every new one (unless `partial`).
   */
  @Api({
    tag: 'videos',
    summary: 'Submit every new video of a YouTube playlist',
    description:
      'One credit per video the caller does not have yet, in playlist order; `partial: true` submits as many as the credits cover.',
    body: submitPlaylistBody,
    bodyExample: { url: 'https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG', partial: true },
    replies: {
      202: { description: 'Videos were submitted', contract: submitPlaylistReply },
      200: { description: 'Nothing new to submit: no charge', contract: submitPlaylistReply },
    },
    errors: ['invalid_url', 'insufficient_credits'],
  })
  @Post('playlist')
  @RateLimit('submit')
  async submitPlaylist(
    @Body() body: unknown,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    parseOrThrow(noQuery, query, 'query');
    const input = parseOrThrow(submitPlaylistBody, body, 'playlist submission');
    const defaults = await this.users.preferences(user.userId);
    const result = await this.rpc.request(
      RPC.videos.submitPlaylist,
      {
        userId: user.userId,
        ...input,
        subject: input.subject ?? defaults.defaultSubject ?? undefined,
        language: input.language ?? defaults.noteLanguage ?? undefined,
        assessment: input.assessment ?? defaults.assessment ?? undefined,
      },
      // pages of the playlist, then one reservation and append per video
      { context: requestContext(request), reply: submitPlaylistReply, timeoutMs: 120_000 },
    );
    void reply.status(result.submitted > 0 ? 202 : 200);
    return toSnakeCase(result);
  }

  /** What a link is and what submitting it would cost: nothing is reserved or recorded. */
  @Api({
    tag: 'videos',
    summary: 'What a link is and what submitting it would cost',
    description: 'Asks YouTube; reserves and records nothing.',
    query: videoInfoQuery,
    replies: { 200: { description: 'The video as YouTube describes it', contract: videoInfoReply } },
    errors: ['invalid_url'],
  })
  @Get('info')
  async info(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const { url } = parseOrThrow(videoInfoQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.videos.info,
        { userId: user.userId, url },
        // two YouTube requests at most, each bounded by YOUTUBE_TIMEOUT_MS in videos
        { context: requestContext(request), reply: videoInfoReply, timeoutMs: 20_000 },
      ),
    );
  }

  /** The stored thumbnail (clients never call YouTube); `If-None-Match` with its ETag → 304. */
  @Api({
    tag: 'videos',
    summary: "The video's thumbnail, as stored when it was submitted",
    headers: {
      'if-none-match': { schema: z.string().max(1000).optional(), description: 'The ETag of a copy the client holds' },
    },
    replies: {
      200: { description: 'The image', contentType: 'image/jpeg' },
      304: { description: 'The copy the client holds is current' },
    },
  })
  @Get(':id/thumbnail')
  async thumbnail(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ) {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    const header = request.headers['if-none-match'];
    const ifNoneMatch = (Array.isArray(header) ? header.join(',') : header)?.slice(0, 1000);
    const image = await this.rpc.request(
      RPC.videos.thumbnail,
      { userId: user.userId, videoId, ifNoneMatch },
      { context: requestContext(request), reply: videoThumbnailReply },
    );
    // private: behind the caller's token; the bytes of a video's thumbnail never change, its ETag says so
    void reply.header('etag', image.etag).header('cache-control', 'private, max-age=86400');
    if (image.notModified) return reply.status(304).send();
    return reply
      .status(200)
      .header('content-type', image.contentType)
      .send(Buffer.from(image.data ?? '', 'base64'));
  }

  @Api({
    tag: 'videos',
    summary: 'One video and its progress',
    replies: { 200: { description: 'The video', contract: videoView, example: VIDEO_EXAMPLE } },
  })
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    // Clients poll a video while it is processed: repeated reads are answered here until it changes.
    const cached = this.views.get(user.userId, videoId);
    if (cached !== undefined) return cached;
    const ticket = this.views.begin(user.userId, videoId);
    let view;
    try {
      view = toSnakeCase(
        await this.rpc.request(
          RPC.videos.get,
          { userId: user.userId, videoId },
          { context: requestContext(request), reply: videoView },
        ),
      );
    } catch (error) {
      this.views.abandon(ticket); // a 404 is never cached: the video may be a moment from being readable
      throw error;
    }
    this.views.complete(ticket, view);
    return view;
  }

  /** The caller's own change: its next read goes to videos (before and after, for reads in flight). */
  private async changing<T>(videoId: string, change: () => Promise<T>): Promise<T> {
    this.views.evict(videoId);
    try {
      return await change();
    } finally {
      this.views.evict(videoId);
    }
  }

  /** 200 once the video is cancelled (also when it already was); 409 when it already completed or failed. */
  @Api({
    tag: 'videos',
    summary: 'Cancel a queued or processing video',
    replies: { 200: { description: 'Cancelled (also when it already was)', contract: videoAction } },
    errors: ['conflict'],
  })
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    const result = await this.changing(videoId, () =>
      this.rpc.request(
        RPC.videos.cancel,
        { userId: user.userId, videoId },
        { context: requestContext(request), reply: videoActionReply },
      ),
    );
    return toSnakeCase({ videoId: result.videoId, status: result.status, attempt: result.attempt });
  }

  /** 202 when the video is resubmitted (a credit reserved, processing starts over), 200 if a concurrent retry did it. */
  @Api({
    tag: 'videos',
    summary: 'Start a failed (retryable) or cancelled video over',
    body: retryVideoBody,
    bodyOptional: true,
    replies: {
      202: { description: 'Resubmitted as the next attempt', contract: videoAction },
      200: { description: 'Another retry of the same attempt already did it', contract: videoAction },
    },
    errors: ['insufficient_credits', 'conflict'],
  })
  @Post(':id/retry')
  @RateLimit('submit')
  async retry(
    @Param('id') id: string,
    @Query() query: unknown,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    const input = parseOrThrow(retryVideoBody, body ?? {}, 'retry');
    const result = await this.changing(videoId, () =>
      this.rpc.request(
        RPC.videos.retry,
        { userId: user.userId, videoId, ...input },
        { context: requestContext(request), reply: videoActionReply, timeoutMs: 15_000 },
      ),
    );
    void reply.status(result.changed ? 202 : 200);
    return toSnakeCase({ videoId: result.videoId, status: result.status, attempt: result.attempt });
  }

  /** 204: gone from every list and read (its note too); a deleted or unknown id is 404. */
  @Api({
    tag: 'videos',
    summary: 'Delete a video, its note and its files',
    replies: { 204: { description: 'Deleted (a video in progress is cancelled first, its credit released)' } },
  })
  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    await this.changing(videoId, () =>
      this.rpc.request(
        RPC.videos.delete,
        { userId: user.userId, videoId },
        { context: requestContext(request), reply: videoActionReply },
      ),
    );
  }
}
