import { Inject, Injectable } from '@nestjs/common';
import { AppError, ListNotesReply, ListNotesRequest, NotesEvents, NoteView } from '@study-buddy/contracts';
import { handleCommand, Projector } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { Platform } from '@study-buddy/nest-kit';
import { NoteCommand, noteDecider, noteStream } from './domain/note.decider';
import { NotesQueries } from './read-model/notes.queries';

export const NOTES_PROJECTOR = Symbol('NOTES_PROJECTOR');
const schemaVersions = Object.fromEntries(Object.values(NotesEvents).map((d) => [d.type, d.version]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class NotesService {
  private readonly queries: NotesQueries;

  constructor(
    private readonly platform: Platform,
    @Inject(NOTES_PROJECTOR) private readonly projector: Projector,
  ) {
    this.queries = new NotesQueries(platform.pool, platform.config.schema);
  }

  create(command: NoteCommand, context: MessageContext, idempotencyKey: string) {
    return handleCommand(this.platform.store, noteStream(command.noteId), noteDecider, command, {
      metadata: { ...context, userId: command.userId },
      idempotencyKey,
      schemaVersions,
    });
  }

  async get(userId: string, noteId: string, includeContent: boolean): Promise<NoteView> {
    const notFound = new AppError('not_found', 'Note not found');
    if (!UUID.test(noteId)) throw notFound;
    let note = await this.queries.get(userId, noteId);
    if (!note) {
      // Read-your-writes: the video may have completed a moment before its note was projected.
      const stream = await this.platform.store.readStream(noteStream(noteId));
      const last = stream[stream.length - 1];
      if (!last || stream[0].metadata.userId !== userId) throw notFound;
      await this.projector.waitForPosition(last.position, 3000);
      note = await this.queries.get(userId, noteId);
      if (!note) throw notFound;
    }
    const { contentKey, ...view } = note;
    if (!includeContent) return view;
    const content = await this.platform.blobs.getText(contentKey);
    if (content === null) throw new AppError('unavailable', 'The note content is temporarily unavailable; try again shortly');
    return { ...view, content };
  }

  async list(request: ListNotesRequest): Promise<ListNotesReply> {
    const page = await this.queries.list(request);
    if (!page) throw new AppError('validation_failed', 'Invalid cursor: pass the next_cursor value of the previous page');
    return page;
  }
}
