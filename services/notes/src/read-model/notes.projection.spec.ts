import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { noteStream } from '../domain/note.decider';
import { notesProjection } from './notes.projection';
import { NotesQueries } from './notes.queries';

/** The notes read model on the real PostgreSQL: events in, rows out, read through the queries. */
describe('notes projection', () => {
  let read: ProjectionSpec;
  beforeEach(async () => (read = await projectionSpec(notesProjection)));
  afterEach(() => read.close());

  const created = (userId: string, subject: string, createdAt: string) => {
    const noteId = randomUUID();
    return {
      stream: noteStream(noteId),
      type: 'NoteCreated',
      data: {
        noteId,
        userId,
        videoId: randomUUID(),
        youtubeVideoId: 'dQw4w9WgXcQ',
        videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        contentKey: `notes/${userId}/${noteId}.md`,
        note: {
          title: `A ${subject} lecture`,
          subject,
          tags: [subject.toLowerCase()],
          concepts: ['Light', 'Energy'],
          language: 'en',
          wordCount: 1200,
          summary: 'In short.',
        },
        createdAt,
      },
    };
  };

  it('files every note once, for its owner only, newest first, by subject', async () => {
    const [ada, bob] = [randomUUID(), randomUUID()];
    const first = created(ada, 'Biology', '2026-11-30T10:00:00.000Z');
    const second = created(ada, 'Physics', '2026-11-30T11:00:00.000Z');
    await read.given([first, second, created(bob, 'Biology', '2026-11-30T12:00:00.000Z')]);
    await read.catchUp();
    const queries = new NotesQueries(read.pool, read.schema);

    await expect(queries.get(ada, first.data.noteId)).resolves.toMatchObject({
      noteId: first.data.noteId,
      title: 'A Biology lecture',
      subject: 'Biology',
      tags: ['biology'],
      concepts: ['Light', 'Energy'],
      wordCount: 1200,
      contentKey: first.data.contentKey,
      createdAt: '2026-11-30T10:00:00.000Z',
    });
    await expect(queries.get(bob, first.data.noteId)).resolves.toBeNull();
    const all = await queries.list({ userId: ada, limit: 10 });
    expect(all?.items.map((n) => n.subject)).toEqual(['Physics', 'Biology']);
    const biology = await queries.list({ userId: ada, subject: 'Biology', limit: 10 });
    expect(biology?.items.map((n) => n.noteId)).toEqual([first.data.noteId]);
  });

  it('keeps one row when the same note is recorded twice', async () => {
    const note = created(randomUUID(), 'Biology', '2026-11-30T10:00:00.000Z');
    await read.given([note, note]);
    expect(await read.rows('SELECT note_id FROM $schema.notes')).toEqual([{ note_id: note.data.noteId }]);
  });

  it('replaces a note with a retry’s, and drops a withdrawn one', async () => {
    const userId = randomUUID();
    const note = created(userId, 'Biology', '2026-11-30T10:00:00.000Z');
    const { noteId, videoId } = note.data;
    const withdrawn = (reason: string, throughAttempt: number) => ({
      stream: note.stream,
      type: 'NoteWithdrawn',
      data: { noteId, userId, videoId, throughAttempt, reason, withdrawnAt: '2026-11-30T12:00:00.000Z' },
    });
    const retried = { ...note, data: { ...note.data, note: { ...note.data.note, title: 'Again' }, videoAttempt: 2 } };
    await read.given([note, withdrawn('video_cancelled', 1), retried, withdrawn('video_cancelled', 1)]);
    await read.catchUp();
    const queries = new NotesQueries(read.pool, read.schema);
    await expect(queries.get(userId, noteId)).resolves.toMatchObject({ title: 'Again' });
    await read.given([withdrawn('video_deleted', 2)]);
    await read.catchUp();
    await expect(queries.get(userId, noteId)).resolves.toBeNull();
  });
});
