import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { NotesIntegrationEvents } from '@study-buddy/contracts';
import { publishDefinitions } from '@study-buddy/messaging';
import { BackgroundWorker, BackgroundWorkers, HealthController, Platform, PlatformConfig, PlatformModule, projectorWorker } from '@study-buddy/nest-kit';
import { processorEventsHandler } from './integration/processor-events.handler';
import { NotesMsController } from './notes-ms.controller';
import { NOTES_PROJECTOR, NotesService } from './notes.service';
import { notesProjection } from './read-model/notes.projection';

const NOTES_WORKER = Symbol('NOTES_WORKER');

@Module({})
export class NotesModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly notes: NotesService,
    @Inject(NOTES_WORKER) private readonly projection: BackgroundWorker,
  ) {}

  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: NotesModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, NotesMsController],
      providers: [
        { provide: NOTES_WORKER, inject: [Platform], useFactory: (p: Platform) => p.projector(notesProjection(config.schema)) },
        { provide: NOTES_PROJECTOR, inject: [NOTES_WORKER], useFactory: (w: ReturnType<typeof projectorWorker>) => w.projector },
        NotesService,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.projection);
    this.workers.register(this.platform.relay(publishDefinitions(NotesIntegrationEvents)));
    this.workers.register(this.platform.consumer({ durable: 'notes-processor-events', from: 'processor', handler: processorEventsHandler(this.notes) }));
  }
}
