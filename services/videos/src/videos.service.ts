import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  isUuid,
  ListVideosReply,
  ListVideosRequest,
  reserveCreditReply,
  RPC,
  SubmitVideoReply,
  SubmitVideoRequest,
  VideosEvents,
  VideoView,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import {
  deterministicId,
  EventStore,
  handleCommand,
  Projector,
  readYourWrites,
  WrongExpectedRevisionError,
} from '@study-buddy/event-store';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { parseYouTubeUrl } from './domain/youtube-url';
import { VideoCommand, videoDecider, videoStream } from './domain/video.decider';
import { VideosQueries } from './read-model/videos.queries';

export const VIDEOS_PROJECTOR = Symbol('VIDEOS_PROJECTOR');

@Injectable()
export class VideosService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly queries: VideosQueries,
    @Inject(VIDEOS_PROJECTOR) private readonly projector: Projector,
  ) {}

  execute(command: VideoCommand, context: MessageContext, idempotencyKey?: string) {
    return handleCommand(this.store, videoStream(command.videoId), videoDecider, command, {
      metadata: { ...context },
      idempotencyKey,
      schemas: VideosEvents,
    });
  }

  /**
   * Accepts a video: one per user and YouTube video (the id is derived from both,
   * so a repeat returns the first submission and charges nothing). The credit is
   * reserved before the video is recorded; billing releases a reservation whose
   * video never arrives.
   */
  async submit(request: SubmitVideoRequest, context: MessageContext): Promise<SubmitVideoReply> {
    const { videoId: youtubeVideoId, canonicalUrl } = parseYouTubeUrl(request.url);
    const videoId = deterministicId(`video/${request.userId}/${youtubeVideoId}`);
    const existing = await this.store.readStream(videoStream(videoId), { maxCount: 1 });
    if (existing.length > 0)
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };

    await this.rpc.request(
      RPC.billing.reserve,
      { userId: request.userId, videoId },
      { context, reply: reserveCreditReply },
    );
    // After the reservation, so a refused one (402) leaves nothing behind; a hold whose upload or append
    // fails is released by billing's sweeper.
    let transcriptKey: string | undefined;
    if (request.transcript) {
      transcriptKey = `transcripts/${request.userId}/${videoId}.txt`;
      await this.blobs.put(transcriptKey, request.transcript, 'text/plain; charset=utf-8');
    }
    let recorded: boolean;
    try {
      const result = await this.execute(
        {
          type: 'SubmitVideo',
          videoId,
          userId: request.userId,
          youtubeVideoId,
          url: canonicalUrl,
          subject: request.subject,
          language: request.language,
          assessment: request.assessment,
          transcriptKey,
          now: new Date().toISOString(),
        },
        { ...context, userId: request.userId },
      );
      // Nothing new: an identical submission in this process got there first (commands on one stream queue).
      recorded = result.newEvents.length > 0;
    } catch (e) {
      if (!WrongExpectedRevisionError.is(e)) {
        await this.discardTranscript(videoId, transcriptKey);
        throw e;
      }
      // A concurrent identical submission won; it holds the (single, idempotent) reservation.
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };
    }
    if (!recorded)
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };
    return { videoId, youtubeVideoId, status: 'queued', created: true };
  }

  /**
   * A submission that could not be recorded leaves no transcript behind, unless an identical submission
   * (same key) was recorded meanwhile. Best effort: if the store cannot even be read, the object stays.
   */
  private async discardTranscript(videoId: string, transcriptKey: string | undefined): Promise<void> {
    if (!transcriptKey) return;
    try {
      if ((await this.store.readStream(videoStream(videoId), { maxCount: 1 })).length === 0)
        await this.blobs.delete(transcriptKey);
    } catch {
      /* the store or object storage is down as well */
    }
  }

  /** A video submitted a moment ago is found even before its projection catches up. */
  async get(userId: string, videoId: string): Promise<VideoView> {
    const view = isUuid(videoId)
      ? await readYourWrites({
          store: this.store,
          projector: this.projector,
          streamName: videoStream(videoId),
          owner: userId,
          query: () => this.queries.get(userId, videoId),
        })
      : null;
    if (!view) throw new AppError('not_found', 'Video not found');
    return view;
  }

  async list(request: ListVideosRequest): Promise<ListVideosReply> {
    const page = await this.queries.list(request);
    if (!page)
      throw new AppError('validation_failed', 'Invalid cursor: pass the next_cursor value of the previous page');
    return page;
  }

  private async currentStatus(userId: string, videoId: string) {
    return (await this.get(userId, videoId).catch(() => null))?.status ?? 'queued';
  }
}
