import { randomUUID } from 'node:crypto';
import { isUuid, NotesEvents, NoteView } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { EventStore, Projector } from '@study-buddy/event-store';
import { notUsed, serviceSpec } from '@study-buddy/service-testing';
import { z } from 'zod';
import { CreateNoteCommand, noteStream } from './domain/note.decider';
import { NotesQueries } from './read-model/notes.queries';
import { NotesService } from './notes.service';

type NoteCreated = z.infer<typeof NotesEvents.NoteCreated.schema>;

/**
 * The one query these specs reach, answered from the note streams themselves:
 * always caught up (so the projector is never waited on), scoped to the owner
 * like the SQL, and refusing a non-uuid id as the uuid column does.
 */
function notesReadFromStreams(store: EventStore): NotesQueries {
  const queries: Pick<NotesQueries, 'get'> = {
    async get(userId, noteId) {
      if (!isUuid(noteId)) throw new Error(`invalid input syntax for type uuid: "${noteId}"`);
      const [created] = await store.readStream(noteStream(noteId));
      const d = created?.data as NoteCreated | undefined;
      if (!d || d.userId !== userId) return null;
      return {
        noteId: d.noteId,
        videoId: d.videoId,
        youtubeVideoId: d.youtubeVideoId,
        videoUrl: d.videoUrl,
        ...d.note,
        createdAt: d.createdAt,
        contentKey: d.contentKey,
      };
    },
  };
  // Only `get` is part of these specs; the class's private pool is what this stands in for.
  return queries as unknown as NotesQueries;
}

describe('NotesService', () => {
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let notes: NotesService;
  let userId: string;
  let noteId: string;
  let command: CreateNoteCommand;

  beforeEach(() => {
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    // An owner's own note is always found at once, so waiting on the projection would be a bug here.
    notes = new NotesService(spec.store, blobs, notesReadFromStreams(spec.store), notUsed<Projector>('NotesProjector'));
    userId = randomUUID();
    noteId = randomUUID();
    command = {
      type: 'CreateNote',
      noteId,
      userId,
      videoId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      contentKey: `notes/${userId}/${noteId}.md`,
      note: {
        title: 'Photosynthesis',
        subject: 'Biology',
        tags: ['biology'],
        concepts: ['Chlorophyll', 'Calvin cycle'],
        language: 'en',
        wordCount: 480,
        summary: 'How plants turn light into chemical energy.',
      },
      now: '2026-11-30T10:00:00.000Z',
    };
  });

  const noteCreated = (): NoteCreated => {
    const { type: _t, now, ...data } = command;
    return { ...data, createdAt: now };
  };
  const view = (): NoteView => ({
    noteId,
    videoId: command.videoId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    ...command.note,
    createdAt: command.now,
  });
  const givenNote = () =>
    spec.given([{ stream: noteStream(noteId), type: 'NoteCreated', data: noteCreated(), metadata: { userId } }]);

  describe('create', () => {
    it('files the completed job’s note once, owned by its user', async () => {
      const context = { correlationId: randomUUID() };
      const outcome = await spec.when(() => notes.create(command, context, 'job-completed-event-1'));

      outcome.thenAppends([{ stream: noteStream(noteId), type: 'NoteCreated', data: noteCreated() }]);
      expect(outcome.appended[0].metadata).toMatchObject({ ...context, userId, schemaVersion: 1 });
    });

    it('stores one note when the same event is delivered twice', async () => {
      await notes.create(command, {}, 'job-completed-event-1');

      (await spec.when(() => notes.create(command, {}, 'job-completed-event-1'))).thenAppendsNothing();
      expect(await spec.store.readStream(noteStream(noteId))).toHaveLength(1);
    });

    it('stores one note when the job completed twice (another event for the same note id)', async () => {
      await notes.create(command, {}, 'job-completed-event-1');

      (await spec.when(() => notes.create(command, {}, 'job-completed-event-2'))).thenAppendsNothing();
    });

    it('stores one note when two deliveries race', async () => {
      const outcome = await spec.when(() =>
        Promise.all([notes.create(command, {}, 'job-completed-event-1'), notes.create(command, {}, 'event-2')]),
      );

      expect(outcome.error).toBeUndefined();
      expect(outcome.appended.map((e) => e.type)).toEqual(['NoteCreated']);
    });

    it('refuses a note the event schema does not allow, and stores nothing', async () => {
      const broken = { ...command, note: { ...command.note, title: '' } };

      const outcome = await spec.when(() => notes.create(broken, {}, 'job-completed-event-1'));

      expect(outcome.error).toBeInstanceOf(z.ZodError);
      outcome.thenFails({});
    });
  });

  describe('get', () => {
    it('returns the note’s metadata without its content or storage key unless asked', async () => {
      await givenNote();

      (await spec.when(() => notes.get(userId, noteId, false))).thenReplies(view()).thenAppendsNothing();
    });

    it('reads the Markdown from object storage when content is included', async () => {
      await givenNote();
      await blobs.put(command.contentKey, '# Photosynthesis\n', 'text/markdown; charset=utf-8');

      (await spec.when(() => notes.get(userId, noteId, true))).thenReplies({
        ...view(),
        content: '# Photosynthesis\n',
      });
    });

    it('answers unavailable when the note exists but its content cannot be read', async () => {
      await givenNote();

      (await spec.when(() => notes.get(userId, noteId, true))).thenFails({ code: 'unavailable' });
    });

    it('answers not_found for an id that is not a uuid, without querying', async () => {
      (await spec.when(() => notes.get(userId, 'not-a-note', true))).thenFails({
        code: 'not_found',
        message: 'Note not found',
      });
    });

    it('answers not_found for a note that does not exist', async () => {
      (await spec.when(() => notes.get(userId, noteId, false))).thenFails({ code: 'not_found' });
    });

    it('answers not_found for someone else’s note, as if it did not exist', async () => {
      await givenNote();
      await blobs.put(command.contentKey, '# Photosynthesis\n', 'text/markdown; charset=utf-8');

      (await spec.when(() => notes.get(randomUUID(), noteId, true))).thenFails({
        code: 'not_found',
        message: 'Note not found',
      });
    });
  });
});
