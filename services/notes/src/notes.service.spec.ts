import { randomUUID } from 'node:crypto';
import { NoteMetadata } from '@study-buddy/contracts';
import { z } from 'zod';
import { GENERATED_MARKER } from './domain/note-markdown';
import { noteStream } from './domain/note.decider';
import { knowledgeBase, KnowledgeBase } from './testing/knowledge-base';

const photosynthesis: NoteMetadata = {
  title: 'Photosynthesis',
  subject: 'Biology',
  tags: ['biology', 'plants'],
  concepts: ['Chlorophyll', 'Calvin cycle'],
  language: 'en',
  wordCount: 480,
  summary: 'How plants turn light into chemical energy.',
};
const markdownOf = (title: string, body: string) =>
  `---\ntitle: "${title}"\nsubject: "Biology"\ntags: ["biology"]\n---\n# ${title}\n\n${body}\n\n## Related notes\n\n_No related notes yet._\n`;

describe('NotesService', () => {
  let kb: KnowledgeBase;
  let userId: string;
  beforeEach(async () => {
    kb = await knowledgeBase();
    userId = randomUUID();
  });
  afterEach(() => kb.close());

  describe('create', () => {
    it('files the completed job’s note once, owned by its user, with its text for search', async () => {
      const { noteId, command } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Stomata open.'));

      const [created] = await kb.spec.store.readStream(noteStream(noteId));
      expect(created.type).toBe('NoteCreated');
      expect(created.data).toMatchObject({
        noteId,
        userId,
        note: command.note,
        bodyText: 'Photosynthesis Stomata open.',
      });
      expect(created.metadata).toMatchObject({ userId, schemaVersion: 1 });
    });

    it('stores one note when the same event is delivered twice, or the job completed twice', async () => {
      const { command } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Stomata.'));

      (await kb.spec.when(() => kb.notes.create(command, {}, `job-completed/${command.noteId}`))).thenAppendsNothing();
      (await kb.spec.when(() => kb.notes.create(command, {}, 'another-event'))).thenAppendsNothing();
    });

    it('refuses a note the event schema does not allow, and stores nothing', async () => {
      const { command } = await kb.file(userId, photosynthesis, markdownOf('P', 'x'));
      const broken = { ...command, noteId: randomUUID(), note: { ...command.note, title: '' } };

      const outcome = await kb.spec.when(() => kb.notes.create(broken, {}, 'job-completed-event-1'));

      expect(outcome.error).toBeInstanceOf(z.ZodError);
      outcome.thenFails({});
    });
  });

  describe('get', () => {
    it('returns the note’s metadata and version without its content or storage key unless asked', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Stomata.'));

      const view = await kb.notes.get(userId, noteId, false);

      expect(view).toMatchObject({ noteId, title: 'Photosynthesis', version: 1 });
      expect(view).not.toHaveProperty('content');
      expect(view).not.toHaveProperty('contentKey');
    });

    it('renders the Markdown: current front matter, the owner’s body, one generated Related notes section', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Stomata open.'));

      const view = await kb.notes.get(userId, noteId, true);

      expect(view.body).toBe('# Photosynthesis\n\nStomata open.\n');
      expect(view.content).toBe(
        '---\ntitle: "Photosynthesis"\nsubject: "Biology"\ntags: ["biology", "plants"]\n---\n# Photosynthesis\n\nStomata open.\n\n' +
          `${GENERATED_MARKER}\n## Related notes\n\n_No related notes yet._\n`,
      );
      await expect(kb.notes.content(userId, noteId)).resolves.toBe(view.content);
    });

    it('answers unavailable when the note exists but its content cannot be read', async () => {
      const { noteId, contentKey } = await kb.file(userId, photosynthesis, markdownOf('P', 'x'));
      await kb.blobs.delete(contentKey);

      (await kb.spec.when(() => kb.notes.get(userId, noteId, true))).thenFails({ code: 'unavailable' });
    });

    it('answers not_found for a bad id, a missing note and someone else’s note alike', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('P', 'x'));

      for (const [user, id] of [
        [userId, 'not-a-note'],
        [userId, randomUUID()],
        [randomUUID(), noteId],
      ])
        (await kb.spec.when(() => kb.notes.get(user, id, true))).thenFails({
          code: 'not_found',
          message: 'Note not found',
        });
    });
  });

  describe('edit', () => {
    it('stores each edit as a new version in a new object, keeping the old ones', async () => {
      const { noteId, contentKey } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Old text.'));

      const edited = await kb.notes.edit(
        { userId, noteId, expectedVersion: 1, title: 'Photosynthesis, revised', body: '# Mine\n\nMy own words.' },
        {},
      );

      expect(edited).toMatchObject({ version: 2, title: 'Photosynthesis, revised', body: '# Mine\n\nMy own words.\n' });
      expect(edited.content).toContain('title: "Photosynthesis, revised"');
      const keys = kb.blobs.keys().filter((k) => k.includes(noteId));
      expect(keys).toHaveLength(2);
      expect(keys).toContain(contentKey);
      await expect(kb.blobs.getText(contentKey)).resolves.toContain('Old text.');
      await expect(kb.notes.versions(userId, noteId)).resolves.toEqual({
        items: [
          { version: 1, kind: 'created', title: 'Photosynthesis', at: expect.any(String) },
          { version: 2, kind: 'edited', title: 'Photosynthesis, revised', at: expect.any(String) },
        ],
      });
      const third = await kb.notes.edit({ userId, noteId, expectedVersion: 2, tags: ['botany'] }, {});
      expect(third).toMatchObject({ version: 3, tags: ['botany'], body: '# Mine\n\nMy own words.\n' });
    });

    it('refuses an edit made on a stale version with 412, storing no event and no object', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Text.'));
      await kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'First tab.' }, {});
      const objects = kb.blobs.keys();

      (
        await kb.spec.when(() => kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'Second tab.' }, {}))
      ).thenFails({
        code: 'precondition_failed',
        details: { currentVersion: 2 },
      });
      expect(kb.blobs.keys()).toEqual(objects);
      expect((await kb.notes.get(userId, noteId, true)).body).toBe('First tab.\n');
    });

    it('lets one of two racing edits on the same version win and refuses the other', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Text.'));

      const results = await Promise.allSettled([
        kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'A' }, {}),
        kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'B' }, {}),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(kb.blobs.keys().filter((k) => k.includes(noteId))).toHaveLength(2);
    });

    it('keeps a pasted front matter and generated section out of the owner’s body', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Text.'));
      const rendered = (await kb.notes.get(userId, noteId, true)).content as string;

      const edited = await kb.notes.edit(
        { userId, noteId, expectedVersion: 1, body: rendered.replace('Text.', 'Text, and my addition.') },
        {},
      );

      expect(edited.body).toBe('# Photosynthesis\n\nText, and my addition.\n');
      expect(edited.content?.match(/## Related notes/g)).toHaveLength(1);
    });

    it('answers not_found for someone else’s note, and stores nothing', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('P', 'x'));

      (
        await kb.spec.when(() => kb.notes.edit({ userId: randomUUID(), noteId, expectedVersion: 1, body: 'x' }, {}))
      ).thenFails({ code: 'not_found' });
    });
  });

  describe('delete', () => {
    it('withdraws the note like a deleted video: gone from reads, every version’s object removed', async () => {
      const { noteId } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Text.'));
      await kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'Edited.' }, {});

      await kb.notes.delete(userId, noteId, {});

      expect(kb.blobs.keys().filter((k) => k.includes(noteId))).toEqual([]);
      (await kb.spec.when(() => kb.notes.get(userId, noteId, false))).thenFails({ code: 'not_found' });
      expect((await kb.notes.list({ userId, limit: 10 })).items).toEqual([]);
      const [, , withdrawn] = await kb.spec.store.readStream(noteStream(noteId));
      expect(withdrawn).toMatchObject({ type: 'NoteWithdrawn', data: { reason: 'note_deleted' } });
      (await kb.spec.when(() => kb.notes.delete(userId, noteId, {}))).thenFails({ code: 'not_found' });
    });

    it('deletes every version’s object when the note’s video is deleted', async () => {
      const { noteId, command } = await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Text.'));
      await kb.notes.edit({ userId, noteId, expectedVersion: 1, body: 'Edited.' }, {});

      await kb.notes.withdraw(
        {
          type: 'WithdrawNote',
          noteId,
          userId,
          videoId: command.videoId,
          throughAttempt: 1,
          reason: 'video_deleted',
          now: new Date().toISOString(),
        },
        {},
        'video-deleted-event',
      );

      expect(kb.blobs.keys()).toEqual([]);
    });
  });

  describe('lists, subjects and search', () => {
    beforeEach(async () => {
      await kb.file(userId, photosynthesis, markdownOf('Photosynthesis', 'Guard cells open the stomata at dawn.'));
      await kb.file(
        userId,
        { ...photosynthesis, title: 'Cell respiration', tags: ['biology', 'energy'], concepts: ['Glycolysis'] },
        markdownOf('Cell respiration', 'Mitochondria burn pyruvate; glycolysis happens first.'),
      );
      await kb.file(
        userId,
        {
          ...photosynthesis,
          title: 'Sorting',
          subject: 'computer science',
          tags: ['algorithms'],
          concepts: ['Quicksort'],
        },
        markdownOf('Sorting', 'Quicksort partitions around a pivot.'),
      );
      await kb.file(randomUUID(), photosynthesis, markdownOf('Photosynthesis', 'Guard cells of someone else.'));
    });

    it('counts notes per subject, case-insensitively, for their owner only', async () => {
      await expect(kb.notes.subjects(userId)).resolves.toEqual({
        items: [
          { subject: 'Biology', noteCount: 2 },
          { subject: 'computer science', noteCount: 1 },
        ],
      });
    });

    it('filters by subject and by tag', async () => {
      const titles = async (request: { subject?: string; tag?: string }) =>
        (await kb.notes.list({ userId, limit: 10, ...request })).items.map((n) => n.title);

      await expect(titles({ subject: 'COMPUTER SCIENCE' })).resolves.toEqual(['Sorting']);
      await expect(titles({ tag: 'Energy' })).resolves.toEqual(['Cell respiration']);
    });

    it('finds a note by a word of its body alone (stemmed), with a highlighted snippet', async () => {
      const page = await kb.notes.list({ userId, limit: 10, q: 'guard cell' });

      expect(page.items.map((n) => n.title)).toEqual(['Photosynthesis']); // not the other user's
      expect(page.items[0].snippet).toContain('<mark>Guard</mark> <mark>cells</mark>');
    });

    it('ranks the best match first and pages through the ranking with the cursor', async () => {
      const first = await kb.notes.list({ userId, limit: 1, q: 'glycolysis OR stomata' });
      expect(first.items.map((n) => n.title)).toEqual(['Cell respiration']); // in its concepts and body
      expect(first.nextCursor).toEqual(expect.any(String));

      const second = await kb.notes.list({
        userId,
        limit: 1,
        q: 'glycolysis OR stomata',
        cursor: first.nextCursor as string,
      });
      expect(second.items.map((n) => n.title)).toEqual(['Photosynthesis']);
      expect(second.nextCursor).toBeNull();
    });

    it('finds an edited body’s new words and no longer its old ones', async () => {
      const [sorting] = (await kb.notes.list({ userId, limit: 10, q: 'pivot' })).items;
      await kb.notes.edit(
        { userId, noteId: sorting.noteId, expectedVersion: 1, body: 'Merge sort splits in halves.' },
        {},
      );

      expect((await kb.notes.list({ userId, limit: 10, q: 'pivot' })).items).toEqual([]);
      expect((await kb.notes.list({ userId, limit: 10, q: 'halves' })).items.map((n) => n.noteId)).toEqual([
        sorting.noteId,
      ]);
    });

    it('stems each note in its own language (German here), and a language without a stemmer word by word', async () => {
      const german = { ...photosynthesis, title: 'Fotosynthese', language: 'de', concepts: ['Chlorophyll'] };
      await kb.file(userId, german, markdownOf('Fotosynthese', 'Die Pflanzen wachsen im Licht.'));
      await kb.file(userId, { ...german, title: 'Lugha', language: 'sw' }, markdownOf('Lugha', 'Mimea hukua.'));

      expect((await kb.notes.list({ userId, limit: 10, q: 'Pflanze' })).items.map((n) => n.title)).toEqual([
        'Fotosynthese',
      ]);
      expect((await kb.notes.list({ userId, limit: 10, q: 'mimea' })).items.map((n) => n.title)).toEqual(['Lugha']);
    });

    it('refuses a cursor it did not issue', async () => {
      (await kb.spec.when(() => kb.notes.list({ userId, limit: 10, q: 'cells', cursor: 'bogus' }))).thenFails({
        code: 'validation_failed',
      });
    });
  });
});
