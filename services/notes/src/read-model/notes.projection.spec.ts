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

  it('applies an edit once (a replayed older version changes nothing), and keeps each user’s related pairs', async () => {
    const userId = randomUUID();
    const [a, b, c] = ['Biology', 'Biology', 'Biology'].map((s) => created(userId, s, '2026-11-30T10:00:00.000Z'));
    const other = created(randomUUID(), 'Biology', '2026-11-30T10:00:00.000Z');
    // a and b (and someone else's note) share a concept; c shares nothing with them
    for (const n of [a, b, other]) n.data.note.concepts = ['Chlorophyll', 'Stomata'];
    c.data.note = { ...c.data.note, title: 'Sorting', tags: ['algorithms'], concepts: ['Quicksort'] };
    const edit = (version: number, title: string) => ({
      stream: a.stream,
      type: 'NoteEdited',
      data: {
        noteId: a.data.noteId,
        userId,
        version,
        contentKey: `notes/${userId}/${a.data.noteId}/v${version}.md`,
        title,
        subject: 'Biology',
        tags: ['biology'],
        bodyText: `Light and energy, version ${version}.`,
        wordCount: 5,
        editedAt: '2026-11-30T11:00:00.000Z',
      },
    });
    await read.given([a, b, c, other, edit(2, 'Second'), edit(3, 'Third')]);
    await read.store.appendToStream(a.stream, [{ type: 'NoteEdited', data: edit(2, 'Second').data }], {
      expectedRevision: 2n,
    });
    await read.catchUp();

    await expect(new NotesQueries(read.pool, read.schema).get(userId, a.data.noteId)).resolves.toMatchObject({
      title: 'Third',
      version: 3,
      contentKey: edit(3, 'Third').data.contentKey,
    });
    const links = await read.rows<{ user_id: string; a: string; b: string }>(
      'SELECT user_id, a, b FROM $schema.note_links',
    );
    const [first, second] = [a.data.noteId, b.data.noteId].sort();
    expect(links).toEqual([{ user_id: userId, a: first, b: second }]);

    await read.given([
      {
        stream: b.stream,
        type: 'NoteWithdrawn',
        data: {
          noteId: b.data.noteId,
          userId,
          videoId: b.data.videoId,
          throughAttempt: 1,
          reason: 'note_deleted',
          withdrawnAt: '2026-11-30T12:00:00.000Z',
        },
      },
    ]);
    const after = await read.rows<{ a: string; b: string }>('SELECT a, b FROM $schema.note_links');
    expect(after.flatMap((l) => [l.a, l.b])).not.toContain(b.data.noteId);
  });
});
