import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  isUuid,
  VideoInfoReply,
  VideoInfoRequest,
  VideoThumbnailReply,
  VideoThumbnailRequest,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore, loadState } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE } from '@study-buddy/nest-kit';
import {
  StoredThumbnail,
  thumbnailKey,
  VIDEO_COST_CREDITS,
  VideoInfoSource,
  VideoInfoUnavailable,
} from './domain/video-info';
import { videoDecider, videoStream } from './domain/video.decider';
import { parseYouTubeUrl } from './domain/youtube-url';
import { VideosQueries } from './read-model/videos.queries';
import { VideosService } from './videos.service';

export const VIDEO_INFO_SOURCE = Symbol('VIDEO_INFO_SOURCE');

/**
 * A link's details before anything is spent, and each video's details and thumbnail read from YouTube
 * once after it is submitted, so clients never call YouTube themselves.
 */
@Injectable()
export class VideoInfoService {
  private readonly logger = new Logger(VideoInfoService.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(VIDEO_INFO_SOURCE) private readonly source: VideoInfoSource,
    private readonly videos: VideosService,
    private readonly queries: VideosQueries,
  ) {}

  async info(request: VideoInfoRequest): Promise<VideoInfoReply> {
    const { videoId: youtubeVideoId, canonicalUrl } = parseYouTubeUrl(request.url);
    const [info, existing] = await Promise.all([
      this.source.info(youtubeVideoId).catch((e) => {
        if (e instanceof VideoInfoUnavailable)
          throw new AppError('unavailable', `YouTube did not answer about this video: ${e.message}`);
        throw e;
      }),
      this.videos.existingVideoId(request.userId, youtubeVideoId),
    ]);
    return {
      youtubeVideoId,
      url: canonicalUrl,
      title: info.title,
      channel: info.channel,
      channelId: info.channelId,
      durationSeconds: info.durationSeconds,
      publishDate: info.publishDate,
      thumbnailUrl: info.thumbnailUrl,
      isLive: info.isLive,
      captionLanguages: info.captionLanguages,
      processable: info.unprocessableReason === null,
      reason: info.unprocessableReason,
      // a video the caller already has is returned, not charged again
      cost: existing ? 0 : VIDEO_COST_CREDITS,
      existingVideoId: existing,
    };
  }

  /**
   * Records what YouTube says about a submitted video and keeps its thumbnail, once (a repeat, or a video
   * deleted meanwhile, records nothing). Best effort: without YouTube the video still works, only without
   * these details, so failures are logged and not thrown.
   */
  async record(videoId: string, context: MessageContext): Promise<void> {
    try {
      const known = await loadState(this.store, videoStream(videoId), videoDecider);
      const { state } = known;
      if (state.status === 'none' || state.status === 'deleted' || state.infoRecorded || !state.submission) return;
      const info = await this.source.info(state.submission.youtubeVideoId);
      let thumbnail: StoredThumbnail | null = null;
      if (info.thumbnailUrl) {
        const image = await this.source.thumbnail(info.thumbnailUrl);
        thumbnail = {
          key: thumbnailKey(state.userId!, videoId),
          contentType: image.contentType,
          etag: `"${createHash('sha256').update(image.bytes).digest('hex').slice(0, 32)}"`,
        };
        await this.blobs.put(thumbnail.key, image.bytes, image.contentType);
      }
      const result = await this.videos.execute(
        { type: 'RecordVideoInfo', videoId, info, thumbnail, now: new Date().toISOString() },
        { ...context, userId: state.userId! },
        undefined,
        known,
      );
      // Deleted while YouTube answered: the video's deletion did not know of this object.
      if (thumbnail && result.state.status === 'deleted') await this.blobs.delete(thumbnail.key);
    } catch (e) {
      this.logger.warn(`no YouTube details for video ${videoId}: ${(e as Error).message}`);
    }
  }

  async thumbnail(request: VideoThumbnailRequest): Promise<VideoThumbnailReply> {
    const stored = isUuid(request.videoId) ? await this.queries.thumbnail(request.userId, request.videoId) : null;
    if (!stored) {
      // the video itself answers 404 when it is not the caller's
      await this.videos.get(request.userId, request.videoId);
      throw new AppError('not_found', 'This video has no thumbnail (YouTube has not been asked yet, or had none)');
    }
    const { etag, contentType } = stored;
    if (matches(request.ifNoneMatch, etag)) return { etag, contentType, notModified: true };
    const bytes = await this.blobs.getBytes(stored.key);
    if (!bytes) throw new AppError('not_found', 'This video has no thumbnail');
    return { etag, contentType, notModified: false, data: bytes.toString('base64') };
  }
}

/** `If-None-Match`: a list of entity tags, weak or strong, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}
