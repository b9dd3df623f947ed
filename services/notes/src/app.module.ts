import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { subscription } from '@study-buddy/contracts';
import {
  BackgroundWorkers,
  HealthController,
  Platform,
  PlatformConfig,
  PlatformModule,
  projectionProvider,
  queriesProvider,
} from '@study-buddy/nest-kit';
import { exportsProvider } from './exports.provider';
import { ExportsMsController } from './exports-ms.controller';
import { NotesEnv } from './config';
import { processorEventsHandler } from './event-handlers/processor-events.handler';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { NotesMsController } from './notes-ms.controller';
import { NOTES_PROJECTOR, NotesService } from './notes.service';
import { notesPublications } from './notes.publications';
import { notesProjection } from './read-model/notes.projection';
import { NotesQueries } from './read-model/notes.queries';

@Module({})
export class NotesModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly notes: NotesService,
  ) {}

  static forRoot(config: PlatformConfig, env: Pick<NotesEnv, 'EXPORT_MAX_NOTES' | 'EXPORT_MAX_BYTES'>): DynamicModule {
    return {
      module: NotesModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, NotesMsController, ExportsMsController],
      providers: [
        projectionProvider(NOTES_PROJECTOR, notesProjection),
        queriesProvider(NotesQueries),
        NotesService,
        exportsProvider({ maxNotes: env.EXPORT_MAX_NOTES, maxBytes: env.EXPORT_MAX_BYTES }),
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(notesPublications));
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('notes', 'processor'),
        handlers: processorEventsHandler(this.notes),
      }),
    );
    this.workers.register(
      this.platform.consumer({
        subscription: subscription('notes', 'videos'),
        handlers: videosEventsHandler(this.notes),
      }),
    );
  }
}
