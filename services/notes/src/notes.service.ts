import { Inject, Injectable } from '@nestjs/common';
import { AppError, isUuid, ListNotesReply, ListNotesRequest, NotesEvents, NoteView } from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore, handleCommand, Projector, readYourWrites } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE } from '@study-buddy/nest-kit';
import { NoteCommand, noteDecider, noteStream, WithdrawNoteCommand } from './domain/note.decider';
import { NotesQueries } from './read-model/notes.queries';

export const NOTES_PROJECTOR = Symbol('NOTES_PROJECTOR');

@Injectable()
export class NotesService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly queries: NotesQueries,
    @Inject(NOTES_PROJECTOR) private readonly projector: Projector,
  ) {}

  create(command: NoteCommand, context: MessageContext, idempotencyKey: string) {
    return handleCommand(this.store, noteStream(command.noteId), noteDecider, command, {
      metadata: { ...context, userId: command.userId },
      idempotencyKey,
      schemas: NotesEvents,
    });
  }

  /**
   * Takes the note of a cancelled or deleted video out of every read (or keeps it from ever appearing).
   * A deletion also removes the Markdown; done again on a redelivery, since removing is idempotent.
   */
  async withdraw(command: WithdrawNoteCommand, context: MessageContext, idempotencyKey: string) {
    const result = await this.create(command, context, idempotencyKey);
    const { deleted, contentKey } = result.state;
    if (command.reason === 'video_deleted' && deleted && contentKey) await this.blobs.delete(contentKey);
    return result;
  }

  async get(userId: string, noteId: string, includeContent: boolean): Promise<NoteView> {
    // The video may have completed a moment before its note was projected.
    const note = isUuid(noteId)
      ? await readYourWrites({
          store: this.store,
          projector: this.projector,
          streamName: noteStream(noteId),
          owner: userId,
          query: () => this.queries.get(userId, noteId),
        })
      : null;
    if (!note) throw new AppError('not_found', 'Note not found');
    const { contentKey, ...view } = note;
    if (!includeContent) return view;
    const content = await this.blobs.getText(contentKey);
    if (content === null)
      throw new AppError('unavailable', 'The note content is temporarily unavailable; try again shortly');
    return { ...view, content };
  }

  async list(request: ListNotesRequest): Promise<ListNotesReply> {
    const page = await this.queries.list(request);
    if (!page)
      throw new AppError('validation_failed', 'Invalid cursor: pass the next_cursor value of the previous page');
    return page;
  }
}
