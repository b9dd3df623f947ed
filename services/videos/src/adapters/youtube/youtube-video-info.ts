import { PlayerInfo, YouTubeClient, YouTubeError } from '@study-buddy/youtube';
import { AppError } from '@study-buddy/contracts';
import {
  PlaylistListing,
  ThumbnailImage,
  VideoInfo,
  VideoInfoSource,
  VideoInfoUnavailable,
} from '../../domain/video-info';

/** Video details from YouTube's player response, through libs/youtube (the processor reads the same). */
export class YouTubeVideoInfoSource implements VideoInfoSource {
  constructor(private readonly client: YouTubeClient) {}

  async info(youtubeVideoId: string): Promise<VideoInfo> {
    let player: PlayerInfo;
    try {
      player = await this.client.info(youtubeVideoId);
    } catch (e) {
      if (!YouTubeError.is(e)) throw e;
      if (e.transient) throw new VideoInfoUnavailable(e.message);
      return { ...unknownVideo(youtubeVideoId), unprocessableReason: e.message };
    }
    return {
      youtubeVideoId,
      title: player.title,
      channel: player.channel,
      channelId: player.channelId,
      durationSeconds: player.durationSeconds,
      publishDate: player.publishDate,
      thumbnailUrl: player.thumbnailUrl,
      isLive: player.isLive || player.isUpcoming,
      captionLanguages: player.captionTracks.map((t) => ({ languageCode: t.languageCode, name: t.name, kind: t.kind })),
      unprocessableReason: reasonOf(player),
    };
  }

  async playlist(playlistId: string, maxVideos: number): Promise<PlaylistListing> {
    try {
      const list = await this.client.playlist(playlistId, { maxVideos });
      return {
        title: list.title,
        videoIds: list.items.filter((i) => i.playable).map((i) => i.videoId),
        truncated: list.truncated,
      };
    } catch (e) {
      if (!YouTubeError.is(e)) throw e;
      if (e.transient) throw new VideoInfoUnavailable(e.message);
      throw new AppError('not_found', e.message);
    }
  }

  async thumbnail(url: string): Promise<ThumbnailImage> {
    try {
      return await this.client.thumbnail(url);
    } catch (e) {
      if (YouTubeError.is(e)) throw new VideoInfoUnavailable(e.message);
      throw e;
    }
  }
}

/** Why the processor would fail this video at once without a transcript of the user's; null when it would not. */
function reasonOf(player: PlayerInfo): string | null {
  if (player.isLive || player.isUpcoming) return new YouTubeError('live_not_finished').message;
  if (player.captionTracks.length === 0) return new YouTubeError('captions_unavailable').message;
  return null;
}

const unknownVideo = (youtubeVideoId: string): Omit<VideoInfo, 'unprocessableReason'> => ({
  youtubeVideoId,
  title: null,
  channel: null,
  channelId: null,
  durationSeconds: null,
  publishDate: null,
  thumbnailUrl: null,
  isLive: false,
  captionLanguages: [],
});
