import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  isUuid,
  ListVideosReply,
  ListVideosRequest,
  parseOrThrow,
  releaseUnrecordedReply,
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
  KnownState,
  loadState,
  Projector,
  readYourWrites,
  WrongExpectedRevisionError,
} from '@study-buddy/event-store';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { transcriptKey as transcriptKeyOf } from './domain/transcript-key';
import { parseYouTubeUrl } from './domain/youtube-url';
import { VideoCommand, videoDecider, VideoState, videoStream } from './domain/video.decider';
import { VideosQueries } from './read-model/videos.queries';
import { recordedTranscriptKeys } from './transcript-sweeper';

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

  /** `known`: the video's state as the caller just loaded it, which saves reading the stream again. */
  execute(command: VideoCommand, context: MessageContext, idempotencyKey?: string, known?: KnownState<VideoState>) {
    return handleCommand(this.store, videoStream(command.videoId), videoDecider, command, {
      metadata: { ...context },
      idempotencyKey,
      schemas: VideosEvents,
      known,
    });
  }

  /**
   * Accepts a video: one per user and YouTube video (the id is derived from both,
   * so a repeat returns the first submission and charges nothing). Everything is
   * validated before the credit is reserved; if the video then cannot be recorded,
   * its transcript is removed and the credit given back at once (billing's sweeper
   * remains the safety net for a crash in between).
   */
  async submit(request: SubmitVideoRequest, context: MessageContext): Promise<SubmitVideoReply> {
    const { videoId: youtubeVideoId, canonicalUrl } = parseYouTubeUrl(request.url);
    const { videoId, exists, known } = await this.currentVideoId(request.userId, youtubeVideoId);
    if (exists)
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };

    // Each submission its own key: a transcript of one that loses a race is removed without touching the winner's.
    const transcriptKey = request.transcript ? transcriptKeyOf(request.userId, videoId, randomUUID()) : undefined;
    const command: VideoCommand = {
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
    };
    // The event this will append must be valid before billing is asked for anything.
    for (const event of videoDecider.decide(command, videoDecider.initialState()))
      parseOrThrow(VideosEvents[event.type].schema, event.data, 'video submission');

    // The transcript uploads while billing reserves (neither waits for the other): a refused reservation
    // (402) removes it again, and one left by a process that died here is removed by the transcript sweeper.
    const upload =
      transcriptKey && request.transcript
        ? this.blobs.put(transcriptKey, request.transcript, 'text/plain; charset=utf-8')
        : Promise.resolve();
    const uploaded = upload.then(
      () => null,
      (error: unknown) => ({ error }),
    );
    try {
      await this.rpc.request(
        RPC.billing.reserve,
        { userId: request.userId, videoId },
        { context, reply: reserveCreditReply },
      );
    } catch (e) {
      await uploaded;
      await this.discardTranscript(videoId, transcriptKey);
      throw e;
    }
    let recorded: boolean;
    try {
      const failedUpload = await uploaded;
      if (failedUpload) throw failedUpload.error;
      const result = await this.execute(command, { ...context, userId: request.userId }, undefined, known);
      // Nothing new: an identical submission in this process got there first (commands on one stream queue).
      recorded = result.newEvents.length > 0;
    } catch (e) {
      await this.discardTranscript(videoId, transcriptKey);
      if (!WrongExpectedRevisionError.is(e)) {
        await this.releaseUnrecorded(request.userId, videoId, context);
        throw e;
      }
      // A concurrent identical submission won; it holds the (single, idempotent) reservation.
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };
    }
    if (!recorded) {
      await this.discardTranscript(videoId, transcriptKey);
      return { videoId, youtubeVideoId, status: await this.currentStatus(request.userId, videoId), created: false };
    }
    return { videoId, youtubeVideoId, status: 'queued', created: true };
  }

  /**
   * The id of the user's video of this YouTube video. A deleted one stays deleted (its id answers 404), so
   * submitting the same video again is a new video, whose id derives from the deleted one's: still the same
   * id for every identical submission, so concurrent ones meet on one stream.
   */
  private async currentVideoId(
    userId: string,
    youtubeVideoId: string,
  ): Promise<{ videoId: string; exists: boolean; known: KnownState<VideoState> }> {
    let videoId = deterministicId(`video/${userId}/${youtubeVideoId}`);
    for (;;) {
      const known = await loadState(this.store, videoStream(videoId), videoDecider);
      if (known.state.status !== 'deleted') return { videoId, exists: known.state.status !== 'none', known };
      videoId = deterministicId(`video/${userId}/${youtubeVideoId}/after/${videoId}`);
    }
  }

  /**
   * A submission that was not recorded leaves no transcript behind, unless its append did commit after all
   * (a connection lost after the commit). Best effort: if the store cannot even be read, the object stays
   * and the transcript sweeper removes it after its grace period.
   */
  private async discardTranscript(videoId: string, transcriptKey: string | undefined): Promise<void> {
    if (!transcriptKey) return;
    try {
      if (!(await recordedTranscriptKeys(this.store, videoId)).includes(transcriptKey))
        await this.blobs.delete(transcriptKey);
    } catch {
      /* the store or object storage is down as well */
    }
  }

  /**
   * A submission that could not be recorded gives its held credit back at once, unless an identical
   * submission (same id) was recorded meanwhile. Best effort: if the store cannot even be read, nothing
   * is undone here and billing's sweeper releases the credit later.
   */
  /** The caller's current (not deleted) video of this YouTube video, if any. */
  async existingVideoId(userId: string, youtubeVideoId: string): Promise<string | null> {
    const { videoId, exists } = await this.currentVideoId(userId, youtubeVideoId);
    return exists ? videoId : null;
  }

  private async releaseUnrecorded(userId: string, videoId: string, context: MessageContext): Promise<void> {
    try {
      if ((await this.store.readStream(videoStream(videoId), { maxCount: 1 })).length > 0) return;
    } catch {
      return; // the store is down as well
    }
    await this.rpc
      .request(RPC.billing.releaseUnrecorded, { userId, videoId }, { context, reply: releaseUnrecordedReply })
      .catch(() => undefined);
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

  /** Waits (briefly) until the status read model shows `position`, so what is announced can be read at once. */
  async readable(position: bigint): Promise<void> {
    await this.projector.waitForPosition(position, 2000);
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
