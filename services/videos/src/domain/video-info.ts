/** What YouTube says about a video, as far as videos needs it. */
export interface VideoInfo {
  youtubeVideoId: string;
  title: string | null;
  channel: string | null;
  channelId: string | null;
  durationSeconds: number | null;
  publishDate: string | null;
  thumbnailUrl: string | null;
  isLive: boolean;
  captionLanguages: { languageCode: string; name: string; kind: 'manual' | 'asr' }[];
  /** Null when a submission would be processed; else why it would fail at once, in plain words. */
  unprocessableReason: string | null;
}

export interface ThumbnailImage {
  bytes: Buffer;
  contentType: string;
}

export interface PlaylistListing {
  title: string | null;
  /** Playable entries in playlist order, each once. */
  videoIds: string[];
  truncated: boolean;
}

export interface StoredThumbnail {
  key: string;
  contentType: string;
  etag: string;
}

/** Thrown by a VideoInfoSource when it cannot tell (YouTube unreachable, blocked, rate-limited). */
export class VideoInfoUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoInfoUnavailable';
  }
}

/**
 * The port to where videos are published (YouTube): a video's details and its thumbnail. A video that
 * will not play is an answer (`unprocessableReason`), not a failure; only not knowing throws.
 */
export interface VideoInfoSource {
  info(youtubeVideoId: string): Promise<VideoInfo>;
  thumbnail(url: string): Promise<ThumbnailImage>;
  /** Throws AppError not_found for a playlist that does not exist or is private. */
  playlist(playlistId: string, maxVideos: number): Promise<PlaylistListing>;
}

export const THUMBNAILS_PREFIX = 'thumbnails/';
export const thumbnailKey = (userId: string, videoId: string) => `${THUMBNAILS_PREFIX}${userId}/${videoId}.jpg`;

/** One credit per video, whatever its length. */
export const VIDEO_COST_CREDITS = 1;
