import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { VideosIntegrationEvents } from '@study-buddy/contracts';
import { publishDefinitions } from '@study-buddy/messaging';
import {
  BackgroundWorkers,
  HealthController,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { notesEventsHandler } from './event-handlers/notes-events.handler';
import { processorEventsHandler } from './event-handlers/processor-events.handler';
import { videosProjection } from './read-model/videos.projection';
import { VideosMsController } from './videos-ms.controller';
import { VIDEOS_PROJECTOR, VideosService } from './videos.service';
import { VideosQueries } from './read-model/videos.queries';

@Module({})
export class VideosModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly videos: VideosService,
  ) {}

  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: VideosModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, VideosMsController],
      providers: [
        projectionProvider(VIDEOS_PROJECTOR, videosProjection),
        queriesProvider(VideosQueries),
        VideosService,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(publishDefinitions(VideosIntegrationEvents)));
    this.workers.register(
      this.platform.consumer({
        durable: 'videos-processor-events',
        from: 'processor',
        handler: processorEventsHandler(this.videos),
      }),
    );
    this.workers.register(
      this.platform.consumer({
        durable: 'videos-notes-events',
        from: 'notes',
        handler: notesEventsHandler(this.videos),
      }),
    );
  }
}
