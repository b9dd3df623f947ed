import { z } from 'zod';
import { Api } from '../openapi/api-doc';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  AppError,
  HISTORY_END,
  LiveProgressUpdate,
  listVideosReply,
  normaliseResourceId,
  parseOrThrow,
  parseProgressEventId,
  progressEventId,
  RPC,
  videoHistoryReply,
  VideoStatus,
} from '@study-buddy/contracts';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { GATEWAY_ENV, GatewayEnv } from '../config';
import { LiveProgressHub } from '../live/live-progress.hub';
import { fromHistory, fromLive, fromView, ProgressEvent } from '../live/progress-event';
import { ProgressSequencer } from '../live/progress-sequencer';
import { openSse, SseStream } from '../live/sse-stream';
import { noQuery, pathId } from './public-api.schemas';
import { requestContext } from './request-context';

type ResumePoint = { attempt?: number; seq: number };

/** `Last-Event-ID` of a single video's stream: `<attempt>.<seq>` (or a bare `<seq>`); none is before the start. */
function videoResumePoint(header: unknown): ResumePoint {
  if (header === undefined || header === '') return { seq: -1 };
  const point = typeof header === 'string' ? parseProgressEventId(header) : null;
  if (!point) throw new AppError('validation_failed', 'Last-Event-ID must be the id of an event this stream sent');
  return point;
}

/** `Last-Event-ID` of the all-videos stream: `<video id>:<attempt>.<seq>`. */
function allResumePoint(header: unknown): ({ videoId: string } & ResumePoint) | undefined {
  if (header === undefined || header === '') return undefined;
  const [id, point] = typeof header === 'string' ? header.split(':') : [];
  const videoId = id ? normaliseResourceId(id) : null;
  if (!videoId || point === undefined)
    throw new AppError('validation_failed', 'Last-Event-ID must be the id of an event this stream sent');
  return { videoId, ...videoResumePoint(point) };
}

/**
 * Live progress as Server-Sent Events. Live updates come from NATS (this replica's own subscription);
 * what a client missed comes from videos' durable history, so a reconnect with `Last-Event-ID`
 * resumes exactly where it stopped: an event is sent only if it is later in the video's history
 * than the last one sent, which also drops the repeats a re-run job announces.
 */
@Controller()
export class ProgressEventsController {
  constructor(
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    private readonly hub: LiveProgressHub,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  /** One video, from its durable history on; ends after completion or failure. */
  @Api({
    tag: 'videos',
    summary: 'Live progress of one video (SSE)',
    description:
      "Server-Sent Events: `event: progress`, `id`, `data` a JSON progress update; a `: heartbeat` comment every SSE_HEARTBEAT_MS. Ids are `<attempt>.<seq>`: seq 0 (queued) to 100 (the end) orders an attempt's history, and a retry starts a new attempt; Last-Event-ID resumes without gap or repeat (from an earlier attempt, with the current attempt's whole history). The stream ends after completed or failed.",
    headers: {
      'Last-Event-ID': { schema: z.string().max(200).optional(), description: 'The id of the last event received' },
    },
    replies: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
  })
  @Get('videos/:id/events')
  async video(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const videoId = pathId(id, 'Video');
    parseOrThrow(noQuery, query, 'query');
    const resume = videoResumePoint(request.headers['last-event-id']);
    const context = requestContext(request);
    // The attempt this stream follows: the client's, until the history says which one is current.
    let attempt = resume.attempt;
    const history = async (after: number) =>
      (
        await this.rpc.request(
          RPC.videos.history,
          { userId: user.userId, videoId, after, ...(attempt === undefined ? {} : { attempt }) },
          { context, reply: videoHistoryReply },
        )
      ).items.map(fromHistory);

    await this.stream(user.userId, reply, async (sse, buffer) => {
      // Subscribed before reading the history: nothing can fall between the two.
      sse.onClose(this.hub.watchVideo(videoId, buffer.push));
      const replay = await history(resume.seq);
      // Resumed from an earlier attempt (the video was retried since): the current attempt from its start.
      const resumeAfter =
        replay[0]?.attempt !== undefined && replay[0].attempt !== attempt && attempt !== undefined ? -1 : resume.seq;
      attempt = replay[0]?.attempt ?? attempt;
      const sequencer = new ProgressSequencer(resumeAfter, {
        history,
        send: (event) => {
          attempt ??= event.attempt;
          sse.send(progressEventId(attempt ?? 1, event.seq), event.status, event.data);
          if (event.terminal) sse.end();
        },
        retryMs: 200,
        maxWaitMs: Math.max(3000, this.env.SSE_HEARTBEAT_MS),
      });
      sse.onClose(() => sequencer.stop());
      return {
        start: () => {
          // Resumed after the end: there is nothing more to say.
          if (resumeAfter === HISTORY_END) return sse.end();
          sequencer.history(replay);
          buffer.drain((update) => {
            const event = fromLive(update);
            // another attempt's announcement (a cancelled job's last words) is not this stream's
            if (event && (event.attempt === undefined || attempt === undefined || event.attempt === attempt))
              sequencer.live(event);
          });
        },
        // A live update is best effort; the durable history catches up whatever was lost.
        heartbeat: () => sequencer.catchUp(),
      };
    });
  }

  /** Every video of the caller: each one in progress reported as it is now, then live updates. */
  @Api({
    tag: 'videos',
    summary: "Live progress of all the caller's videos (SSE)",
    description:
      'Server-Sent Events: `event: progress`, `id`, `data` a JSON progress update; a `: heartbeat` comment every SSE_HEARTBEAT_MS. Ids are `<video_id>:<attempt>.<seq>`. At most SSE_MAX_CONNECTIONS_PER_USER streams at once (429).',
    headers: {
      'Last-Event-ID': { schema: z.string().max(200).optional(), description: 'The id of the last event received' },
    },
    replies: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
    errors: ['validation_failed', 'rate_limited'],
  })
  @Get('events')
  async all(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    parseOrThrow(noQuery, query, 'query');
    const resume = allResumePoint(request.headers['last-event-id']);
    const context = requestContext(request);
    // per video, the last point sent: a later attempt starts over at 0, an unknown attempt compares by seq
    const last = new Map<string, ResumePoint>(resume ? [[resume.videoId, resume]] : []);

    await this.stream(user.userId, reply, async (sse, buffer) => {
      sse.onClose(this.hub.watchUser(user.userId, buffer.push));
      const emit = (event: ProgressEvent | null) => {
        if (!event || sse.closed) return;
        const seen = last.get(event.videoId);
        const attempt = event.attempt ?? seen?.attempt;
        const newer =
          !seen ||
          (attempt !== undefined && seen.attempt !== undefined && attempt !== seen.attempt
            ? attempt > seen.attempt
            : event.seq > seen.seq);
        if (!newer) return;
        last.set(event.videoId, { attempt, seq: event.seq });
        sse.send(`${event.videoId}:${progressEventId(attempt ?? 1, event.seq)}`, event.status, event.data);
      };
      const inFlight = await Promise.all(
        (['queued', 'processing'] as VideoStatus[]).map((status) => this.list(user.userId, status, context)),
      );
      return {
        start: () => {
          for (const view of inFlight.flat()) emit(fromView(view));
          buffer.drain((update) => emit(fromLive(update)));
        },
        heartbeat: async () => undefined,
      };
    });
  }

  private async list(userId: string, status: VideoStatus, context: MessageContext) {
    const page = await this.rpc.request(
      RPC.videos.list,
      { userId, status, limit: 100 },
      { context, reply: listVideosReply },
    );
    return page.items;
  }

  /**
   * The shared life of a stream: a connection slot (429 when the user has none left), live updates
   * buffered until `prepare` is done (its errors, such as 404, are still answered as JSON), then the
   * event stream with heartbeats until either side closes it.
   */
  private async stream(
    userId: string,
    reply: FastifyReply,
    prepare: (sse: SseStream, buffer: LiveBuffer) => Promise<{ start: () => void; heartbeat: () => Promise<void> }>,
  ): Promise<void> {
    const closers: (() => void)[] = [];
    const pending = deferredStream(closers);
    const release = this.hub.acquire(userId, () => pending.end());
    if (!release)
      throw new AppError(
        'rate_limited',
        `At most ${this.env.SSE_MAX_CONNECTIONS_PER_USER} live progress streams at once: close another first`,
        { retryAfterSeconds: 5 },
      );
    const buffer = liveBuffer();
    let plan: { start: () => void; heartbeat: () => Promise<void> };
    try {
      plan = await prepare(pending, buffer);
    } catch (e) {
      for (const close of closers) close();
      release();
      throw e;
    }
    const sse = openSse(reply);
    pending.attach(sse);
    sse.onClose(release);
    const timer = setInterval(() => {
      sse.comment('heartbeat');
      plan.heartbeat().catch(() => undefined); // the next heartbeat tries again
    }, this.env.SSE_HEARTBEAT_MS);
    sse.onClose(() => clearInterval(timer));
    plan.start();
  }
}

/** Live updates that arrive while the stream is being prepared, then passed straight on. */
interface LiveBuffer {
  push: (update: LiveProgressUpdate) => void;
  drain: (deliver: (update: LiveProgressUpdate) => void) => void;
}

function liveBuffer(): LiveBuffer {
  let held: LiveProgressUpdate[] | null = [];
  let deliver: (update: LiveProgressUpdate) => void = () => undefined;
  return {
    push: (update) => (held ? held.push(update) : deliver(update)),
    drain(to) {
      deliver = to;
      const waiting = held ?? [];
      held = null;
      for (const update of waiting) to(update);
    },
  };
}

/** The stream as `prepare` sees it before the reply is taken over: close listeners collected, sends forwarded. */
function deferredStream(closers: (() => void)[]): SseStream & { attach(sse: SseStream): void } {
  let target: SseStream | undefined;
  let ended = false;
  return {
    attach(sse) {
      target = sse;
      for (const close of closers) sse.onClose(close);
      if (ended) sse.end();
    },
    send: (id, event, data) => target?.send(id, event, data),
    comment: (text) => target?.comment(text),
    end() {
      ended = true;
      if (target) target.end();
      else for (const close of closers) close();
    },
    get closed() {
      return ended || (target?.closed ?? false);
    },
    onClose(listener) {
      if (target) target.onClose(listener);
      else closers.push(listener);
    },
  };
}
