import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { deliver, notUsed, serviceSpec } from '@study-buddy/service-testing';
import { noteStream } from '../domain/note.decider';
import { NotesService } from '../notes.service';
import { NotesQueries } from '../read-model/notes.queries';
import { processorEventsHandler } from './processor-events.handler';

/** A completed job files its note: one NoteCreated per note, whatever the redeliveries. */
describe('notes: processor events', () => {
  it('files the note of a completed job once', async () => {
    const spec = serviceSpec();
    const notes = new NotesService(
      spec.store,
      createMemoryBlobStore(),
      notUsed<NotesQueries>('NotesQueries'),
      notUsed('projector'),
    );
    const handlers = processorEventsHandler(notes);
    const [userId, videoId, noteId] = [randomUUID(), randomUUID(), randomUUID()];
    const note = {
      title: 'Photosynthesis',
      subject: 'Biology',
      tags: ['biology'],
      concepts: ['Light'],
      language: 'en',
      wordCount: 1200,
      summary: 'Plants turn light into sugar.',
    };
    const completed = {
      videoId,
      userId,
      noteId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      contentKey: `notes/${userId}/${noteId}.md`,
      note,
      completedAt: new Date().toISOString(),
    };
    let id = '';
    const outcome = await spec.when(
      async () =>
        (id = await deliver(handlers, 'processor', 'JobCompleted', completed, { context: { correlationId: 'c-1' } })),
    );
    outcome.thenAppends([
      {
        stream: noteStream(noteId),
        type: 'NoteCreated',
        data: {
          noteId,
          userId,
          videoId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          videoUrl: completed.videoUrl,
          contentKey: completed.contentKey,
          note,
          createdAt: completed.completedAt,
        },
      },
    ]);
    expect(outcome.appended[0].metadata).toMatchObject({ userId, correlationId: 'c-1' });
    (await spec.when(() => deliver(handlers, 'processor', 'JobCompleted', completed, { id }))).thenAppendsNothing();
    (await spec.when(() => deliver(handlers, 'processor', 'JobCompleted', completed))).thenAppendsNothing();
  });
});
