import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { createNatsLiveProgress, LiveProgress } from '@study-buddy/messaging';
import { subscription } from '@study-buddy/contracts';
import { createPostgresCheckpointStore, createPostgresLeaderLock, Projector } from '@study-buddy/event-store';
import {
  BackgroundWorkers,
  HealthController,
  NATS_CONNECTION,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { youtubeClientFrom } from '@study-buddy/youtube';
import { announceVideoChanges } from './adapters/nats/video-change-notices';
import { YouTubeVideoInfoSource } from './adapters/youtube/youtube-video-info';
import { VIDEOS_ENV, VideosEnv } from './config';
import { VIDEO_INFO_SOURCE, VideoInfoService } from './video-info.service';
import { PLAYLISTS_PROJECTOR, PlaylistService } from './playlist.service';
import { playlistsProjection } from './read-model/playlists.projection';
import { PlaylistsQueries } from './read-model/playlists.queries';
import { notesEventsHandler } from './event-handlers/notes-events.handler';
import { processorEventsHandler } from './event-handlers/processor-events.handler';
import { videosProjection } from './read-model/videos.projection';
import { videosPublications } from './videos.publications';
import { VideoLifecycleService } from './video-lifecycle.service';
import { VideosMsController } from './videos-ms.controller';
import { VIDEOS_PROJECTOR, VideosService } from './videos.service';
import { VideosQueries } from './read-model/videos.queries';
import { videoHistoryProjection } from './read-model/video-history.projection';
import { VideoHistoryQueries } from './read-model/video-history.queries';
import { VIDEO_HISTORY_PROJECTOR, VideoHistoryService } from './video-history.service';
import { usageProjection } from './read-model/usage.projection';
import { UsageQueries } from './read-model/usage.queries';
import { USAGE_PROJECTOR, UsageService } from './usage.service';

export const LIVE_PROGRESS = Symbol('LIVE_PROGRESS');
import { transcriptSweeper } from './transcript-sweeper';
import { videoInfoRecorder } from './video-info-recorder';
import { foregroundFirst } from './foreground-first';

@Module({})
export class VideosModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly videos: VideosService,
    private readonly infos: VideoInfoService,
    @Inject(LIVE_PROGRESS) private readonly live: LiveProgress,
    @Inject(VIDEOS_ENV) private readonly env: VideosEnv,
    @Inject(VIDEOS_PROJECTOR) private readonly videosProjector: Projector,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  static forRoot(config: PlatformConfig, env: VideosEnv): DynamicModule {
    return {
      module: VideosModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, VideosMsController],
      providers: [
        { provide: VIDEOS_ENV, useValue: env },
        projectionProvider(VIDEOS_PROJECTOR, videosProjection),
        queriesProvider(VideosQueries),
        VideosService,
        VideoLifecycleService,
        projectionProvider(VIDEO_HISTORY_PROJECTOR, videoHistoryProjection),
        queriesProvider(VideoHistoryQueries),
        VideoHistoryService,
        projectionProvider(USAGE_PROJECTOR, usageProjection),
        queriesProvider(UsageQueries),
        UsageService,
        {
          provide: VIDEO_INFO_SOURCE,
          useValue: new YouTubeVideoInfoSource(youtubeClientFrom(env)),
        },
        VideoInfoService,
        projectionProvider(PLAYLISTS_PROJECTOR, playlistsProjection),
        queriesProvider(PlaylistsQueries),
        PlaylistService,
        {
          provide: LIVE_PROGRESS,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => createNatsLiveProgress(nc, config.topology.namespace),
        },
      ],
    };
  }

  onModuleInit(): void {
    // the gateway's cache of video views forgets a video when its row changes
    announceVideoChanges(this.videosProjector, this.nc, this.platform.config.topology.namespace);
    this.workers.register(this.platform.relay(videosPublications));
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('videos', 'processor'),
        handlers: processorEventsHandler(this.videos),
      }),
    );
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('videos', 'notes'),
        handlers: notesEventsHandler(this.videos, this.live),
      }),
    );
    const { pool, store, blobs, config } = this.platform;
    this.workers.register(
      videoInfoRecorder(
        {
          store,
          checkpoints: createPostgresCheckpointStore(pool, config.schema),
          leader: createPostgresLeaderLock(pool, `video-info:${config.schema}`),
          record: (videoId, context) => this.infos.record(videoId, context),
        },
        // Quiet means under a third busy over the last fifth of a second: at 100 submissions a second this
        // loop is about half busy, and 50 ms windows between bursts looked quiet, so details were recorded
        // mid-burst. Under such a load a video waits at most VIDEO_INFO_MAX_WAIT_MS; once it calms down they
        // go one after another.
        { quiet: foregroundFirst({ maxUtilization: 0.3, sampleMs: 200, maxWaitMs: this.env.VIDEO_INFO_MAX_WAIT_MS }) },
      ),
    );
    this.workers.register(
      transcriptSweeper(
        { blobs, store, leader: createPostgresLeaderLock(pool, `transcript-sweep:${config.schema}`) },
        { intervalMs: this.env.TRANSCRIPT_SWEEP_INTERVAL_MS, graceMs: this.env.TRANSCRIPT_SWEEP_GRACE_MS },
      ),
    );
  }
}
