import { randomUUID } from 'node:crypto';
import { NoteMetadata } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { projectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { StudyLecture } from '@study-buddy/testing';
import { CreateNoteCommand } from '../domain/note.decider';
import { NotesService } from '../notes.service';
import { notesProjection } from '../read-model/notes.projection';
import { NotesQueries } from '../read-model/notes.queries';
import { lectureMarkdown, lectureMetadata } from './library-notes';

/**
 * NotesService on its production parts where they matter (the notes projection and its queries on the
 * real PostgreSQL, running continuously as in the service) and in-memory ones elsewhere (event store,
 * object storage). `close` drops the schema.
 */
export async function knowledgeBase() {
  const spec = serviceSpec();
  const read = await projectionSpec(notesProjection, { store: spec.store });
  const blobs = createMemoryBlobStore();
  const notes = new NotesService(spec.store, blobs, new NotesQueries(read.pool, read.schema), read.projector);
  read.projector.start();

  /** Files a note as a completed job does: its Markdown stored first, then the JobCompleted handling. */
  async function file(userId: string, note: NoteMetadata, markdown: string, noteId: string = randomUUID()) {
    const contentKey = `notes/${userId}/${noteId}.md`;
    await blobs.put(contentKey, markdown, 'text/markdown; charset=utf-8');
    const command: CreateNoteCommand = {
      type: 'CreateNote',
      noteId,
      userId,
      videoId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      contentKey,
      note,
      now: new Date().toISOString(),
    };
    const result = await notes.create(command, {}, `job-completed/${noteId}`);
    await read.projector.waitForPosition(result.position, 10_000);
    return { noteId, contentKey, command };
  }

  /** Files study-library lectures for one user; returns lecture id ↔ note id. */
  async function fileLectures(userId: string, lectures: StudyLecture[]) {
    const byLecture = new Map<string, string>();
    for (const lecture of lectures) {
      const noteId = randomUUID();
      await file(userId, lectureMetadata(lecture), lectureMarkdown(lecture, noteId), noteId);
      byLecture.set(lecture.id, noteId);
    }
    const byNote = new Map([...byLecture].map(([l, n]) => [n, l]));
    return { byLecture, byNote };
  }

  return {
    spec,
    read,
    blobs,
    notes,
    file,
    fileLectures,
    close: () => read.close(),
  };
}
export type KnowledgeBase = Awaited<ReturnType<typeof knowledgeBase>>;
