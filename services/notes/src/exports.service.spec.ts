import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { pdfText, unzip } from '@study-buddy/testing';
import { exportNote, NoteSpec } from '../test/export-notes';
import { EXPORT_CHUNK_BYTES } from './exports/chunking';
import { ExportLibrary } from './exports/export-library';
import { ExportNote } from './exports/export-note';
import { ExportsMsController } from './exports-ms.controller';
import { ExportLimits, ExportsService } from './exports.service';

/** The caller's notes, in pages of two (so paging is exercised), scoped to the owner like the notes service. */
function libraryOf(owned: Map<string, ExportNote[]>): ExportLibrary {
  const notesOf = (userId: string, subject?: string) =>
    (owned.get(userId) ?? []).filter((n) => !subject || n.subject.toLowerCase() === subject.toLowerCase());
  return {
    async page(userId, subject, cursor) {
      const all = notesOf(userId, subject);
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + 2).map(({ markdown: _m, ...view }) => view);
      return { items, nextCursor: start + 2 < all.length ? String(start + 2) : null };
    },
    async note(userId, noteId) {
      const note = notesOf(userId).find((n) => n.noteId === noteId);
      if (!note) throw new AppError('not_found', 'Note not found');
      return note;
    },
  };
}

describe('ExportsService (notes RPCs)', () => {
  let clock: Date;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let owned: Map<string, ExportNote[]>;
  let alice: string;
  let bob: string;
  let rpc: ExportsMsController;

  const service = (limits: Partial<ExportLimits> = {}) =>
    new ExportsService(blobs, libraryOf(owned), { maxNotes: 100, maxBytes: 10 * 1024 * 1024, ...limits }, () => clock);
  const add = (userId: string, spec: NoteSpec) => {
    const note = exportNote(spec);
    owned.set(userId, [...(owned.get(userId) ?? []), note]);
    return note;
  };
  /** What the gateway does: every chunk in order, then discard. */
  const download = async (
    exports: ExportsMsController,
    userId: string,
    prepared: { exportId: string; chunkCount: number },
  ) => {
    const parts: Buffer[] = [];
    for (let index = 0; index < prepared.chunkCount; index++)
      parts.push(Buffer.from((await exports.chunk({ userId, exportId: prepared.exportId, index })).data, 'base64'));
    await exports.discard({ userId, exportId: prepared.exportId });
    return Buffer.concat(parts);
  };
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (e: AppError) => ({ code: e.code, message: e.message }),
    );

  beforeEach(() => {
    clock = new Date('2026-12-01T10:00:00.000Z');
    blobs = createMemoryBlobStore('memory', () => clock);
    owned = new Map();
    alice = randomUUID();
    bob = randomUUID();
    rpc = new ExportsMsController(service());
  });

  it('prepares a note as Markdown, hands it out in chunks and discards it', async () => {
    const note = add(alice, { title: 'Photosynthesis', subject: 'Biology' });
    const prepared = await rpc.prepare({ userId: alice, kind: 'note_md', noteId: note.noteId });
    expect(prepared).toMatchObject({
      contentType: 'text/markdown; charset=utf-8',
      fileName: 'Photosynthesis.md',
      chunkCount: 1,
      notes: 1,
    });
    expect(blobs.keys()).toEqual([`exports/${alice}/${prepared.exportId}/0`]);
    const text = (await download(rpc, alice, prepared)).toString('utf8');
    expect(text.length).toBe(prepared.size);
    expect(text).toMatch(/^---\ntitle: "Photosynthesis"\nsubject: "Biology"\n/);
    expect(blobs.keys()).toEqual([]);
    // fetched and discarded: a second fetch is a clear 404
    expect(await rejection(rpc.chunk({ userId: alice, exportId: prepared.exportId, index: 0 }))).toMatchObject({
      code: 'not_found',
    });
  });

  it('renders a note as a PDF', async () => {
    const note = add(alice, { title: 'Фотосинтез', subject: 'Biology' });
    const prepared = await rpc.prepare({ userId: alice, kind: 'note_pdf', noteId: note.noteId });
    expect(prepared).toMatchObject({ contentType: 'application/pdf', fileName: 'Фотосинтез.pdf' });
    expect((await pdfText(await download(rpc, alice, prepared))).text).toContain('Фотосинтез');
  });

  it('splits a large export into chunks that fit a NATS reply, and reassembles it byte for byte', async () => {
    // random text barely compresses, so 30 such notes make a vault of several chunks
    for (let i = 0; i < 30; i++)
      add(alice, {
        title: `Note ${i}`,
        subject: ['Biology', 'Maths', 'History'][i % 3],
        extraBody: randomBytes(24_000).toString('base64'),
      });
    const prepared = await rpc.prepare({ userId: alice, kind: 'obsidian' });
    expect(prepared.chunkCount).toBe(Math.ceil(prepared.size / EXPORT_CHUNK_BYTES));
    expect(prepared.chunkCount).toBeGreaterThan(1);
    for (let index = 0; index < prepared.chunkCount; index++) {
      const { data } = await rpc.chunk({ userId: alice, exportId: prepared.exportId, index });
      expect(data.length).toBeLessThan(1024 * 1024 - 4096);
    }
    const files = await unzip(await download(rpc, alice, prepared));
    expect(files.size).toBe(30 + 3);
    expect(prepared.notes).toBe(30);
  });

  it("exports only the caller's notes, and never hands one user's export to another", async () => {
    add(alice, { title: 'Alice only', subject: 'Biology' });
    const bobs = add(bob, { title: 'Bob only', subject: 'Biology' });
    expect(await rejection(rpc.prepare({ userId: alice, kind: 'note_pdf', noteId: bobs.noteId }))).toMatchObject({
      code: 'not_found',
    });
    const prepared = await rpc.prepare({ userId: alice, kind: 'obsidian' });
    const files = await unzip(await download(rpc, alice, { ...prepared, chunkCount: prepared.chunkCount }));
    expect([...files.keys()].sort()).toEqual(['Biology/Alice only.md', 'Biology/Biology index.md']);

    const again = await rpc.prepare({ userId: alice, kind: 'anki_csv' });
    expect(await rejection(rpc.chunk({ userId: bob, exportId: again.exportId, index: 0 }))).toMatchObject({
      code: 'not_found',
    });
    expect(await rpc.discard({ userId: bob, exportId: again.exportId })).toEqual({ removed: 0 });
    expect(blobs.keys()).toHaveLength(1);
  });

  it('narrows a library export to one subject', async () => {
    add(alice, { title: 'Cells', subject: 'Biology', questions: [{ question: 'Q?', answer: 'A.' }] });
    add(alice, { title: 'Limits', subject: 'Maths' });
    const prepared = await rpc.prepare({ userId: alice, kind: 'anki_csv', subject: 'biology' });
    expect(prepared).toMatchObject({ fileName: 'Study Buddy - biology flashcards.csv', notes: 1 });
    const csv = (await download(rpc, alice, prepared)).toString('utf8');
    expect(csv).toContain('"Q?","A."');
    expect(csv).not.toContain('Limits');
    expect(await rejection(rpc.prepare({ userId: alice, kind: 'anki', subject: 'Art' }))).toMatchObject({
      code: 'not_found',
      message: 'You have no notes in the subject "Art"',
    });
  });

  it('builds an Anki package of the library', async () => {
    add(alice, { title: 'Cells', subject: 'Biology', questions: [{ question: 'Q?', answer: 'A.' }] });
    const prepared = await rpc.prepare({ userId: alice, kind: 'anki' });
    expect(prepared).toMatchObject({ contentType: 'application/apkg', fileName: 'Study Buddy.apkg' });
    expect([...(await unzip(await download(rpc, alice, prepared))).keys()].sort()).toEqual([
      'collection.anki2',
      'media',
    ]);
  });

  it('refuses an export over the note or byte limit with a 413 and stores nothing', async () => {
    for (let i = 0; i < 3; i++) add(alice, { title: `Note ${i}`, subject: 'Biology' });
    const few = new ExportsMsController(service({ maxNotes: 2 }));
    expect(await rejection(few.prepare({ userId: alice, kind: 'obsidian' }))).toEqual({
      code: 'payload_too_large',
      message: 'An export holds at most 2 notes; export one subject at a time (?subject=)',
    });
    const small = new ExportsMsController(service({ maxBytes: 64 * 1024 }));
    add(alice, { title: 'Big', subject: 'Biology', extraBody: randomBytes(100_000).toString('base64') });
    expect(await rejection(small.prepare({ userId: alice, kind: 'obsidian' }))).toMatchObject({
      code: 'payload_too_large',
    });
    expect(new AppError('payload_too_large', '').httpStatus).toBe(413);
    expect(blobs.keys()).toEqual([]);
  });

  it('removes an export left unfetched for an hour when the user prepares the next', async () => {
    const note = add(alice, { title: 'Cells', subject: 'Biology' });
    const stale = await rpc.prepare({ userId: alice, kind: 'note_md', noteId: note.noteId });
    clock = new Date(clock.getTime() + 30 * 60_000);
    const recent = await rpc.prepare({ userId: alice, kind: 'note_md', noteId: note.noteId });
    clock = new Date(clock.getTime() + 31 * 60_000);
    await rpc.prepare({ userId: alice, kind: 'note_md', noteId: note.noteId });
    const ids = new Set(blobs.keys().map((k) => k.split('/')[2]));
    expect(ids.has(stale.exportId)).toBe(false);
    expect(ids.has(recent.exportId)).toBe(true);
    expect(ids.size).toBe(2);
  });

  it('rejects malformed requests with validation errors', async () => {
    expect(
      await rejection(Promise.resolve().then(() => rpc.prepare({ userId: alice, kind: 'note_pdf' }))),
    ).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('noteId is required'),
    });
    expect(await rejection(Promise.resolve().then(() => rpc.prepare({ userId: alice, kind: 'docx' })))).toMatchObject({
      code: 'validation_failed',
    });
    expect(
      await rejection(Promise.resolve().then(() => rpc.chunk({ userId: alice, exportId: 'x', index: 0 }))),
    ).toMatchObject({ code: 'validation_failed' });
  });
});
