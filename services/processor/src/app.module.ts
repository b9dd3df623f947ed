import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { subscription } from '@study-buddy/contracts';
import { BackgroundWorkers, HealthController, Platform, PlatformConfig, PlatformModule } from '@study-buddy/nest-kit';
import { PROCESSOR_ENV, ProcessorEnv } from './config';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { OfflineNoteWriter } from './adapters/offline-writer/offline-note-writer';
import { processorPublications } from './processor.publications';
import { NOTE_WRITER, VideoPipeline } from './video-pipeline';

/** Stateless workers: any number of replicas share the durable consumer. */
@Module({})
export class ProcessorModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly pipeline: VideoPipeline,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
  ) {}

  static forRoot(config: PlatformConfig, env: ProcessorEnv): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController],
      providers: [
        { provide: PROCESSOR_ENV, useValue: env },
        { provide: NOTE_WRITER, useValue: new OfflineNoteWriter() },
        VideoPipeline,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(processorPublications));
    this.workers.register(
      this.platform.consumer({
        // KEDA scales on this subscription's durable (charts/.../keda-scaledobject.yaml)
        subscription: subscription('processor', 'videos'),
        handlers: videosEventsHandler(this.pipeline),
        ackWaitMs: this.env.JOB_ACK_WAIT_MS,
        // one job at a time per replica: more replicas, not a deeper buffer, process more videos
        prefetch: 1,
      }),
    );
  }
}
