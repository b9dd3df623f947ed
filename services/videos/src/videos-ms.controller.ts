import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  getVideoRequest,
  listVideosRequest,
  parseOrThrow,
  retryVideoRequest,
  RPC,
  submitVideoRequest,
  videoActionRequest,
  videoHistoryRequest,
  videoInfoRequest,
  videoThumbnailRequest,
  getPlaylistRequest,
  submitPlaylistRequest,
  usageRequest,
} from '@study-buddy/contracts';
import { contextFromHeaders } from '@study-buddy/messaging';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { VideoHistoryService } from './video-history.service';
import { VideoInfoService } from './video-info.service';
import { PlaylistService } from './playlist.service';
import { VideoLifecycleService } from './video-lifecycle.service';
import { VideosService } from './videos.service';
import { UsageService } from './usage.service';

/** Request/reply handlers of videos (NATS). */
@Controller()
@UseFilters(RpcErrorFilter)
export class VideosMsController {
  constructor(
    private readonly videos: VideosService,
    private readonly lifecycle: VideoLifecycleService,
    private readonly histories: VideoHistoryService,
    private readonly infos: VideoInfoService,
    private readonly playlists: PlaylistService,
    private readonly usage: UsageService,
  ) {}

  @MessagePattern(rpcPattern(RPC.videos.submitPlaylist))
  async submitPlaylist(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const context = contextFromHeaders(ctx.getHeaders());
    // YouTube's details of each video are recorded by the video info recorder, after the reply.
    return this.playlists.submit(parseOrThrow(submitPlaylistRequest, payload), context);
  }

  @MessagePattern(rpcPattern(RPC.videos.getPlaylist))
  getPlaylist(@Payload() payload: unknown) {
    return this.playlists.get(parseOrThrow(getPlaylistRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.videos.submit))
  async submit(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const context = contextFromHeaders(ctx.getHeaders());
    // YouTube's details and thumbnail are read by the video info recorder: a submission never waits on YouTube.
    return this.videos.submit(parseOrThrow(submitVideoRequest, payload), context);
  }

  @MessagePattern(rpcPattern(RPC.videos.info))
  info(@Payload() payload: unknown) {
    return this.infos.info(parseOrThrow(videoInfoRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.videos.thumbnail))
  thumbnail(@Payload() payload: unknown) {
    return this.infos.thumbnail(parseOrThrow(videoThumbnailRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.videos.get))
  get(@Payload() payload: unknown) {
    const { userId, videoId } = parseOrThrow(getVideoRequest, payload);
    return this.videos.get(userId, videoId);
  }

  @MessagePattern(rpcPattern(RPC.videos.list))
  list(@Payload() payload: unknown) {
    return this.videos.list(parseOrThrow(listVideosRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.videos.cancel))
  cancel(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return this.lifecycle.cancel(parseOrThrow(videoActionRequest, payload), contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.videos.retry))
  retry(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return this.lifecycle.retry(parseOrThrow(retryVideoRequest, payload), contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.videos.delete))
  delete(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return this.lifecycle.delete(parseOrThrow(videoActionRequest, payload), contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.videos.history))
  history(@Payload() payload: unknown) {
    return this.histories.history(parseOrThrow(videoHistoryRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.videos.usage))
  usageByMonth(@Payload() payload: unknown) {
    return this.usage.byMonth(parseOrThrow(usageRequest, payload));
  }
}
