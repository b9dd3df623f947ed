import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  EditNoteRequest,
  GraphReply,
  isUuid,
  ListNotesReply,
  ListNotesRequest,
  NotesEvent,
  NotesEvents,
  NoteVersionsReply,
  NoteView,
  RelatedNotesReply,
  SubjectsReply,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { asEvent, EventStore, handleCommand, loadState, Projector, readYourWrites } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE } from '@study-buddy/nest-kit';
import { CreateNoteCommand, NoteCommand, noteDecider, noteStream, WithdrawNoteCommand } from './domain/note.decider';
import { linkTargets, renderNote, uniqueTitles } from './domain/note-links';
import { countWords, joinNote, ownerBody, plainText, splitNote } from './domain/note-markdown';
import { NotesQueries } from './read-model/notes.queries';

export const NOTES_PROJECTOR = Symbol('NOTES_PROJECTOR');

/** How many related notes a note's generated section lists. */
export const RELATED_IN_NOTE = 5;
const MARKDOWN = 'text/markdown; charset=utf-8';
/** How long a write waits for its effect to be readable before answering anyway. */
const READ_YOUR_WRITES_MS = 5000;

/** A note as rendered for its owner: the full Markdown and the owner's own text apart. */
export interface RenderedNote {
  content: string;
  body: string;
  linkTitle: string;
}

@Injectable()
export class NotesService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly queries: NotesQueries,
    @Inject(NOTES_PROJECTOR) private readonly projector: Projector,
  ) {}

  /** Files a note; its text (read from the object the processor wrote) goes with it for search and links. */
  async create(command: NoteCommand, context: MessageContext, idempotencyKey: string) {
    const withText = command.type === 'CreateNote' ? await this.withBodyText(command) : command;
    return handleCommand(this.store, noteStream(command.noteId), noteDecider, withText, {
      metadata: { ...context, userId: command.userId },
      idempotencyKey,
      schemas: NotesEvents,
    });
  }

  private async withBodyText(command: CreateNoteCommand): Promise<CreateNoteCommand> {
    if (command.bodyText !== undefined) return command;
    const markdown = await this.blobs.getText(command.contentKey);
    // gone already (its video deleted meanwhile): the note is filed without text, or barred by the decider
    return markdown === null ? command : { ...command, bodyText: plainText(splitNote(markdown).body) };
  }

  /**
   * Takes the note of a cancelled or deleted video out of every read (or keeps it from ever appearing),
   * and a note its owner deleted. A deletion also removes every version's Markdown; done again on a
   * redelivery, since removing is idempotent.
   */
  async withdraw(command: WithdrawNoteCommand, context: MessageContext, idempotencyKey: string) {
    const result = await this.create(command, context, idempotencyKey);
    const { deleted, contentKeys } = result.state;
    if (command.reason !== 'video_cancelled' && deleted)
      await Promise.all(contentKeys.map((key) => this.blobs.delete(key)));
    return result;
  }

  /** DELETE /notes/{id}: the same withdrawal as a deleted video's, so later attempts stay barred too. */
  async delete(userId: string, noteId: string, context: MessageContext): Promise<void> {
    const { state } = await this.ownState(userId, noteId);
    const result = await this.withdraw(
      {
        type: 'WithdrawNote',
        noteId,
        userId,
        videoId: state.videoId as string,
        throughAttempt: state.videoAttempt,
        reason: 'note_deleted',
        now: new Date().toISOString(),
      },
      context,
      randomUUID(),
    );
    await this.projector.waitForPosition(result.position, READ_YOUR_WRITES_MS);
  }

  /**
   * PATCH: a new version in a new object, decided on the version the owner read (412 when it moved on).
   * The object is written first, so the event never names a missing one; a refused edit removes it again.
   */
  async edit(request: EditNoteRequest, context: MessageContext): Promise<NoteView> {
    const { userId, noteId } = request;
    const { state } = await this.ownState(userId, noteId);
    if (state.version !== request.expectedVersion)
      throw new AppError(
        'precondition_failed',
        `The note has changed since version ${request.expectedVersion} (it is at version ${state.version}); read it again and reapply the edit`,
        { currentVersion: state.version },
      );
    const current = await this.blobs.getText(state.contentKey as string);
    if (current === null) throw new AppError('unavailable', 'The note content is temporarily unavailable; try again');
    const { frontMatter, body: currentBody } = splitNote(current);
    const body = request.body !== undefined ? ownerBody(request.body) : currentBody;
    const meta = {
      title: request.title ?? state.title,
      subject: request.subject ?? state.subject,
      tags: request.tags ?? state.tags,
    };
    const version = state.version + 1;
    const contentKey = `notes/${userId}/${noteId}/v${version}-${randomUUID()}.md`;
    await this.blobs.put(contentKey, joinNote(frontMatter, body), MARKDOWN);
    const bodyText = plainText(body);
    try {
      const result = await handleCommand(
        this.store,
        noteStream(noteId),
        noteDecider,
        {
          type: 'EditNote',
          noteId,
          userId,
          expectedVersion: request.expectedVersion,
          contentKey,
          ...meta,
          bodyText,
          wordCount: countWords(bodyText),
          now: new Date().toISOString(),
        },
        { metadata: { ...context, userId }, schemas: NotesEvents },
      );
      await this.projector.waitForPosition(result.position, READ_YOUR_WRITES_MS);
    } catch (e) {
      await this.blobs.delete(contentKey).catch(() => undefined);
      throw e;
    }
    return this.get(userId, noteId, true);
  }

  /** The note's versions, oldest first (those of the current note: a retried video's note starts again). */
  async versions(userId: string, noteId: string): Promise<NoteVersionsReply> {
    await this.ownState(userId, noteId);
    const events = (await this.store.readStream(noteStream(noteId))).map((e) => asEvent<NotesEvent>(e));
    const items: NoteVersionsReply['items'] = [];
    for (const event of events) {
      if (event.type === 'NoteCreated') {
        items.length = 0;
        items.push({ version: 1, kind: 'created', title: event.data.note.title, at: event.data.createdAt });
      } else if (event.type === 'NoteEdited')
        items.push({ version: event.data.version, kind: 'edited', title: event.data.title, at: event.data.editedAt });
    }
    return { items };
  }

  async get(userId: string, noteId: string, includeContent: boolean): Promise<NoteView> {
    const note = await this.find(userId, noteId);
    const { contentKey: _key, ...view } = note;
    if (!includeContent) return view;
    return { ...view, ...(await this.render(userId, note)) };
  }

  /**
   * A note's full Markdown as its owner (and every export) gets it: current front matter, the body with
   * the first mention of other notes' main concepts linked, and the generated Related notes section.
   */
  async content(userId: string, noteId: string): Promise<string> {
    return (await this.render(userId, await this.find(userId, noteId))).content;
  }

  private async render(userId: string, note: NoteView & { contentKey: string }): Promise<RenderedNote> {
    const markdown = await this.blobs.getText(note.contentKey);
    if (markdown === null)
      throw new AppError('unavailable', 'The note content is temporarily unavailable; try again shortly');
    const { frontMatter, body } = splitNote(markdown);
    const library = await this.queries.library(userId);
    const titles = uniqueTitles(library);
    const related = await this.relatedIn(userId, note.noteId, RELATED_IN_NOTE, titles);
    const scores = new Map(related.map((r) => [r.noteId, r.score]));
    const content = renderNote({
      frontMatter,
      meta: note,
      body,
      targets: linkTargets(note, library, titles, (id) => scores.get(id) ?? 0),
      related: related.map((r) => r.linkTitle),
    });
    return { content, body, linkTitle: titles.get(note.noteId) ?? note.title };
  }

  async list(request: ListNotesRequest): Promise<ListNotesReply> {
    const page = await this.queries.list(request);
    if (!page)
      throw new AppError('validation_failed', 'Invalid cursor: pass the next_cursor value of the previous page');
    return page;
  }

  subjects(userId: string): Promise<SubjectsReply> {
    return this.queries.subjects(userId);
  }

  async related(userId: string, noteId: string, limit: number): Promise<RelatedNotesReply> {
    await this.find(userId, noteId);
    const titles = uniqueTitles(await this.queries.library(userId));
    return { items: await this.relatedIn(userId, noteId, limit, titles) };
  }

  private async relatedIn(userId: string, noteId: string, limit: number, titles: Map<string, string>) {
    const related = await this.queries.related(userId, noteId, limit);
    return related.map((r) => ({ ...r, linkTitle: titles.get(r.noteId) ?? r.title }));
  }

  graph(userId: string): Promise<GraphReply> {
    return this.queries.graph(userId);
  }

  private async find(userId: string, noteId: string) {
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
    return note;
  }

  /** The write model of the caller's own note; anyone else's (or none) is not found. */
  private async ownState(userId: string, noteId: string) {
    const loaded = isUuid(noteId) ? await loadState(this.store, noteStream(noteId), noteDecider) : null;
    if (!loaded || !loaded.state.exists || loaded.state.userId !== userId)
      throw new AppError('not_found', 'Note not found');
    return loaded;
  }
}
