import { randomUUID } from 'node:crypto';
import { noteIdSeed } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { deterministicId } from '@study-buddy/event-store';
import { deliver, notUsed, serviceSpec } from '@study-buddy/service-testing';
import { noteStream } from '../domain/note.decider';
import { NotesService } from '../notes.service';
import { NotesQueries } from '../read-model/notes.queries';
import { processorEventsHandler } from './processor-events.handler';
import { videosEventsHandler } from './videos-events.handler';

/** A cancelled video keeps no note, a deleted one loses its note and content, in whatever order events come. */
describe('notes: videos events', () => {
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videos: ReturnType<typeof videosEventsHandler>;
  let processor: ReturnType<typeof processorEventsHandler>;
  const [userId, videoId] = [randomUUID(), randomUUID()];
  const noteId = deterministicId(noteIdSeed(videoId));
  const stream = noteStream(noteId);
  const contentKey = `notes/${userId}/${noteId}.md`;
  const at = new Date().toISOString();
  const completed = (videoAttempt?: number) => ({
    videoId,
    userId,
    noteId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    contentKey,
    note: {
      title: 'Photosynthesis',
      subject: 'Biology',
      tags: [],
      concepts: [],
      language: 'en',
      wordCount: 10,
      summary: 'S',
    },
    videoAttempt,
    completedAt: at,
  });
  const cancelled = (attempt = 1) => ({ videoId, userId, attempt, cancelledAt: at });
  const deleted = { videoId, userId, attempt: 1, deletedAt: at };

  beforeEach(async () => {
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    const notes = new NotesService(spec.store, blobs, notUsed<NotesQueries>('NotesQueries'), notUsed('projector'));
    videos = videosEventsHandler(notes);
    processor = processorEventsHandler(notes);
    await blobs.put(contentKey, '# Photosynthesis', 'text/markdown');
  });

  it('withdraws a note its job filed before the cancel was seen, once', async () => {
    await deliver(processor, 'processor', 'JobCompleted', completed());
    let id = '';
    (await spec.when(async () => (id = await deliver(videos, 'videos', 'VideoCancelled', cancelled())))).thenAppends([
      {
        stream,
        type: 'NoteWithdrawn',
        data: { noteId, userId, videoId, throughAttempt: 1, reason: 'video_cancelled', contentKey, withdrawnAt: at },
      },
    ]);
    (await spec.when(() => deliver(videos, 'videos', 'VideoCancelled', cancelled(), { id }))).thenAppendsNothing();
  });

  it('never files the note of a cancelled attempt that arrives afterwards, but files the retry’s', async () => {
    await deliver(videos, 'videos', 'VideoCancelled', cancelled());
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed()))).thenAppendsNothing();
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(2)))).thenAppends([
      { stream, type: 'NoteCreated', data: expect.objectContaining({ noteId, videoAttempt: 2 }) },
    ]);
  });

  it('deletes the note of a deleted video and its content, even on a redelivery after a crash', async () => {
    await deliver(processor, 'processor', 'JobCompleted', completed());
    let id = '';
    (await spec.when(async () => (id = await deliver(videos, 'videos', 'VideoDeleted', deleted)))).thenAppends([
      {
        stream,
        type: 'NoteWithdrawn',
        data: { noteId, userId, videoId, throughAttempt: 1, reason: 'video_deleted', contentKey, withdrawnAt: at },
      },
    ]);
    expect(blobs.keys()).toEqual([]);
    await blobs.put(contentKey, 'left behind by a crash before the delete', 'text/markdown');
    (await spec.when(() => deliver(videos, 'videos', 'VideoDeleted', deleted, { id }))).thenAppendsNothing();
    expect(blobs.keys()).toEqual([]);
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(2)))).thenAppendsNothing();
  });
});
