import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { VideosIntegrationEvents } from '@study-buddy/contracts';
import { publishDefinitions } from '@study-buddy/messaging';
import { BackgroundWorker, BackgroundWorkers, HealthController, Platform, PlatformConfig, PlatformModule, projectorWorker } from '@study-buddy/nest-kit';
import { notesEventsHandler, processorEventsHandler } from './integration/videos-event-handlers';
import { videosProjection } from './read-model/videos.projection';
import { VideosMsController } from './videos-ms.controller';
import { VIDEOS_PROJECTOR, VideosService } from './videos.service';

const VIDEOS_WORKER = Symbol('VIDEOS_WORKER');

@Module({})
export class VideosModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly videos: VideosService,
    @Inject(VIDEOS_WORKER) private readonly projection: BackgroundWorker,
  ) {}

  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: VideosModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, VideosMsController],
      providers: [
        { provide: VIDEOS_WORKER, inject: [Platform], useFactory: (p: Platform) => p.projector(videosProjection(config.schema)) },
        { provide: VIDEOS_PROJECTOR, inject: [VIDEOS_WORKER], useFactory: (w: ReturnType<typeof projectorWorker>) => w.projector },
        VideosService,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.projection);
    this.workers.register(this.platform.relay(publishDefinitions(VideosIntegrationEvents)));
    this.workers.register(this.platform.consumer({ durable: 'videos-processor-events', from: 'processor', handler: processorEventsHandler(this.videos) }));
    this.workers.register(this.platform.consumer({ durable: 'videos-notes-events', from: 'notes', handler: notesEventsHandler(this.videos) }));
  }
}
