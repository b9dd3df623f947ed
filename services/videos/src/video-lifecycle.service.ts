import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  isUuid,
  reserveCreditReply,
  RetryVideoRequest,
  RPC,
  VideoActionReply,
  VideoActionRequest,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore, loadState, Projector } from '@study-buddy/event-store';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { transcriptKey as transcriptKeyOf } from './domain/transcript-key';
import { VideoCommand, videoDecider, VideoState, videoStream } from './domain/video.decider';
import { VIDEOS_PROJECTOR, VideosService } from './videos.service';

/**
 * Cancel, retry and delete: what a user does with a video after submitting it. The decider holds the
 * rules; this service adds what sits around them (the credit a retry reserves, the blobs a deletion removes).
 */
@Injectable()
export class VideoLifecycleService {
  private readonly logger = new Logger('VideoLifecycle');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly videos: VideosService,
    @Inject(VIDEOS_PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Stops a queued or processing video; billing releases its credit, the processor stops at its next step. */
  async cancel({ userId, videoId }: VideoActionRequest, context: MessageContext): Promise<VideoActionReply> {
    return this.run({ type: 'CancelVideo', videoId: known(videoId), userId, now: now() }, context);
  }

  /**
   * Submits a failed (retryable) or cancelled video again as its next attempt. The credit for that attempt is
   * reserved first (402 when there is none); two retries at once reserve it once and record one attempt.
   */
  async retry(request: RetryVideoRequest, context: MessageContext): Promise<VideoActionReply> {
    const { userId } = request;
    const videoId = known(request.videoId);
    const { state } = await loadState(this.store, videoStream(videoId), videoDecider);
    if (state.status === 'none' || state.status === 'deleted' || state.userId !== userId)
      throw new AppError('not_found', 'Video not found');
    // The attempt the caller saw end, if it says: a repeated request for it is then answered, not refused.
    const fromAttempt = request.attempt ?? state.attempt;
    if (fromAttempt > state.attempt)
      throw new AppError('conflict', `The video has no attempt ${fromAttempt} yet (it is at attempt ${state.attempt})`);
    const command = { type: 'RetryVideo' as const, videoId, userId, fromAttempt, now: now() };
    // 404 or 409 before any credit is held; nothing to do when another retry already resubmitted it.
    if (videoDecider.decide(command, state).length === 0)
      return { videoId, status: state.status, attempt: state.attempt, changed: false };
    const attempt = state.attempt + 1;
    await this.rpc.request(RPC.billing.reserve, { userId, videoId, attempt }, { context, reply: reserveCreditReply });
    let transcriptKey: string | undefined;
    if (request.transcript) {
      transcriptKey = transcriptKeyOf(userId, videoId, randomUUID());
      await this.blobs.put(transcriptKey, request.transcript, 'text/plain; charset=utf-8');
    }
    // A retry refused from here on (deleted meanwhile) leaves its hold to billing's sweeper.
    return this.run({ ...command, transcriptKey }, context);
  }

  /** Removes the video from every list and read; notes deletes its note, this service its transcripts and thumbnail. */
  async delete({ userId, videoId }: VideoActionRequest, context: MessageContext): Promise<VideoActionReply> {
    return this.run({ type: 'DeleteVideo', videoId: known(videoId), userId, now: now() }, context, (state) =>
      this.deleteTranscripts(state),
    );
  }

  private async run(
    command: VideoCommand & { userId: string },
    context: MessageContext,
    after?: (state: VideoState) => Promise<void>,
  ): Promise<VideoActionReply> {
    const result = await this.videos.execute(command, { ...context, userId: command.userId });
    const { status, attempt } = result.state;
    if (status === 'none') throw new AppError('not_found', 'Video not found');
    await after?.(result.state);
    // Read-your-writes: the caller's next GET or list shows the change (bounded: a slow projection only delays).
    if (result.newEvents.length > 0) await this.projector.waitForPosition(result.position, 3000);
    return { videoId: command.videoId, status, attempt, changed: result.newEvents.length > 0 };
  }

  /** Best effort: an object left behind is unreachable (its video answers 404) and is logged. */
  private async deleteTranscripts(state: VideoState): Promise<void> {
    for (const key of [...state.transcriptKeys, ...(state.thumbnailKey ? [state.thumbnailKey] : [])]) {
      try {
        await this.blobs.delete(key);
      } catch (e) {
        this.logger.warn(`could not delete ${key} of a deleted video: ${String(e)}`);
      }
    }
  }
}

/** An id that is not a uuid cannot name a video: 404 like any other unknown id. */
function known(videoId: string): string {
  if (!isUuid(videoId)) throw new AppError('not_found', 'Video not found');
  return videoId;
}

const now = () => new Date().toISOString();
