import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  balanceReply,
  GetPlaylistRequest,
  isUuid,
  PlaylistEvents,
  PlaylistView,
  RPC,
  SubmitPlaylistReply,
  SubmitPlaylistRequest,
} from '@study-buddy/contracts';
import { deterministicId, EventStore, handleCommand, Projector } from '@study-buddy/event-store';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { VIDEOS_ENV, VideosEnv } from './config';
import { PlaylistEntry, playlistDecider, playlistStream } from './domain/playlist.decider';
import { VIDEO_COST_CREDITS, VideoInfoSource, VideoInfoUnavailable } from './domain/video-info';
import { parsePlaylistUrl } from './domain/youtube-url';
import { PlaylistsQueries } from './read-model/playlists.queries';
import { VIDEO_INFO_SOURCE } from './video-info.service';
import { VideosService } from './videos.service';

export const PLAYLISTS_PROJECTOR = Symbol('PLAYLISTS_PROJECTOR');

/**
 * A playlist becomes one video per entry the user does not have yet, each submitted (and charged) like a
 * single link: the video ids derive from the user and the YouTube video, so the same request twice finds
 * every video it submitted and charges nothing again. All or nothing unless `partial`: when the balance
 * does not cover every new video, 402 with `required` and `available` before anything is reserved.
 */
@Injectable()
export class PlaylistService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    @Inject(VIDEO_INFO_SOURCE) private readonly source: VideoInfoSource,
    @Inject(VIDEOS_ENV) private readonly env: Pick<VideosEnv, 'PLAYLIST_MAX_VIDEOS'>,
    private readonly videos: VideosService,
    private readonly queries: PlaylistsQueries,
    @Inject(PLAYLISTS_PROJECTOR) private readonly projector: Projector,
  ) {}

  async submit(request: SubmitPlaylistRequest, context: MessageContext): Promise<SubmitPlaylistReply> {
    const { playlistId: youtubePlaylistId } = parsePlaylistUrl(request.url);
    const maxVideos = Math.min(request.limit ?? this.env.PLAYLIST_MAX_VIDEOS, this.env.PLAYLIST_MAX_VIDEOS);
    const listing = await this.source.playlist(youtubePlaylistId, maxVideos).catch((e) => {
      if (e instanceof VideoInfoUnavailable)
        throw new AppError('unavailable', `YouTube did not list this playlist: ${e.message}`);
      throw e;
    });
    const entries = await Promise.all(
      listing.videoIds.map(async (youtubeVideoId, position) => ({
        position,
        youtubeVideoId,
        existing: await this.videos.existingVideoId(request.userId, youtubeVideoId),
      })),
    );
    const fresh = entries.filter((e) => !e.existing);
    const required = fresh.length * VIDEO_COST_CREDITS;
    let affordable = fresh.length;
    if (required > 0) {
      const { balance } = await this.rpc.request(
        RPC.billing.balance,
        { userId: request.userId },
        { context, reply: balanceReply },
      );
      const available = Math.max(0, balance);
      if (available < required && !request.partial)
        throw new AppError(
          'insufficient_credits',
          `This playlist has ${fresh.length} new video(s), which need ${required} credit(s); you have ${available}. ` +
            'Buy credits, pass a smaller limit, or pass partial: true to submit as many as your credits cover',
          { required, available },
        );
      affordable = Math.min(fresh.length, Math.floor(available / VIDEO_COST_CREDITS));
    }

    const listed: PlaylistEntry[] = entries.flatMap((e) =>
      e.existing ? [{ position: e.position, videoId: e.existing, youtubeVideoId: e.youtubeVideoId }] : [],
    );
    const submittedVideoIds: string[] = [];
    for (const entry of fresh.slice(0, affordable)) {
      try {
        const reply = await this.videos.submit(
          {
            userId: request.userId,
            url: `https://www.youtube.com/watch?v=${entry.youtubeVideoId}`,
            subject: request.subject,
            language: request.language,
            assessment: request.assessment,
          },
          context,
        );
        listed.push({ position: entry.position, videoId: reply.videoId, youtubeVideoId: entry.youtubeVideoId });
        if (reply.created) submittedVideoIds.push(reply.videoId);
      } catch (e) {
        // credits spent elsewhere meanwhile: what was submitted stays, the rest is left out
        if (AppError.isAppError(e) && e.code === 'insufficient_credits') break;
        throw e;
      }
    }

    const playlistId = deterministicId(`playlist/${request.userId}/${youtubePlaylistId}`);
    const result = await handleCommand(
      this.store,
      playlistStream(playlistId),
      playlistDecider,
      {
        type: 'AddPlaylistItems',
        playlistId,
        userId: request.userId,
        youtubePlaylistId,
        title: listing.title,
        items: listed.sort((a, b) => a.position - b.position),
        now: new Date().toISOString(),
      },
      { metadata: { ...context, userId: request.userId }, schemas: PlaylistEvents },
    );
    // The caller's next GET /playlists/{id} shows what this request did: the playlist and each video's
    // status, which comes from the videos read model (a video not in it yet would read as deleted).
    if (result.newEvents.length > 0)
      await Promise.all([this.projector.waitForPosition(result.position, 3000), this.videos.readable(result.position)]);
    return {
      playlistId,
      youtubePlaylistId,
      title: listing.title,
      submitted: submittedVideoIds.length,
      existing: entries.length - fresh.length,
      notSubmitted: fresh.length - (listed.length - (entries.length - fresh.length)),
      truncated: listing.truncated,
    };
  }

  async get(request: GetPlaylistRequest): Promise<PlaylistView> {
    const view = isUuid(request.playlistId) ? await this.queries.get(request.userId, request.playlistId) : null;
    if (!view) throw new AppError('not_found', 'Playlist not found');
    return view;
  }
}
