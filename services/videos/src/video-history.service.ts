import { Inject, Injectable } from '@nestjs/common';
import { AppError, isUuid, VideoHistoryReply, VideoHistoryRequest } from '@study-buddy/contracts';
import { EventStore, Projector, readYourWrites } from '@study-buddy/event-store';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { videoStream } from './domain/video.decider';
import { VideoHistoryQueries } from './read-model/video-history.queries';

export const VIDEO_HISTORY_PROJECTOR = Symbol('VIDEO_HISTORY_PROJECTOR');

/** A video's durable history, for the gateway's live progress streams to replay from. */
@Injectable()
export class VideoHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: VideoHistoryQueries,
    @Inject(VIDEO_HISTORY_PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Entries after `after`; a video submitted a moment ago is found even before its projection catches up. */
  async history({ userId, videoId, after, attempt }: VideoHistoryRequest): Promise<VideoHistoryReply> {
    const items = isUuid(videoId)
      ? await readYourWrites({
          store: this.store,
          projector: this.projector,
          streamName: videoStream(videoId),
          owner: userId,
          query: () => this.queries.after(userId, videoId, after, attempt),
        })
      : null;
    if (!items) throw new AppError('not_found', 'Video not found');
    return { items };
  }
}
