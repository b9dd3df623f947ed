import { randomUUID } from 'node:crypto';
import { NotesEvents } from '@study-buddy/contracts';
import { RecordedEvent } from '@study-buddy/event-store';
import { definePublications } from '../src';

const recorded = (type: string, data: unknown): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: {},
  streamName: 'note-1',
  revision: 0n,
  position: 1n,
  createdAt: new Date(),
});

describe('publications', () => {
  const note = {
    noteId: randomUUID(),
    userId: randomUUID(),
    videoId: randomUUID(),
    youtubeVideoId: 'aaaaaaaaaa1',
    videoUrl: 'https://youtu.be/aaaaaaaaaa1',
    contentKey: 'notes/u/n.md',
    note: { title: 'T', subject: 'S', tags: [], concepts: [], language: 'en', wordCount: 1, summary: 's' },
    createdAt: new Date().toISOString(),
  };

  it('publishes a mapped domain event in its published shape, validated, and keeps the rest private', () => {
    // the mapping leaks the storage key on purpose: validation strips what the published schema does not declare
    const publications = definePublications('notes', NotesEvents, {
      NoteCreated: (d) => ({ ...d }),
      NoteWithdrawn: (d) => ({ ...d }),
    });
    expect(publications.types).toEqual(['NoteCreated', 'NoteWithdrawn']);
    const mapped = publications.map(recorded('NoteCreated', note));
    expect(mapped).toMatchObject({ type: 'NoteCreated', version: 1, data: { noteId: note.noteId } });
    expect(mapped!.data).not.toHaveProperty('contentKey');
    expect(mapped!.data).not.toHaveProperty('note.summary');
    expect(publications.map(recorded('NoteEdited', {}))).toBeNull();
  });

  it('refuses to publish data that breaks the published schema', () => {
    const publications = definePublications('notes', NotesEvents, {
      NoteCreated: (d) => ({ ...d, userId: 'not-a-uuid' }),
      NoteWithdrawn: (d) => ({ ...d }),
    });
    expect(() => publications.map(recorded('NoteCreated', note))).toThrow(
      /notes.NoteCreated .* breaks its published schema/,
    );
  });

  it('refuses a mapping for a type the service does not publish', () => {
    expect(() =>
      definePublications('notes', NotesEvents, {
        NoteCreated: (d: unknown) => d,
        NoteDeleted: (d: unknown) => d,
      } as never),
    ).toThrow(/notes publishes NoteDeleted, but has no such domain event/);
  });
});
